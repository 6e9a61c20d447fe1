"""Family and sharing (issue 8): invitations by phone, who added a member, pay requests, student accounts.

Revision ID: 0011
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_by_user_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_family_members_added_by_user_id_users'), 'users',
                                    ['added_by_user_id'], ['id'], ondelete='SET NULL')

    op.create_table('family_invitations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('inviter_user_id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('relation', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('pending_key', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_user_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_user_id'], ['users.id'],
                            name=op.f('fk_family_invitations_answered_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inviter_user_id'], ['users.id'],
                            name=op.f('fk_family_invitations_inviter_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                            name=op.f('fk_family_invitations_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_invitations')),
    sa.UniqueConstraint('pending_key', name=op.f('uq_family_invitations_pending_key'))
    )
    with op.batch_alter_table('family_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_invitations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_invitations_inviter_user_id'), ['inviter_user_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_family_invitations_phone'), ['phone'], unique=False)

    op.create_table('pay_requests',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('bill_id', sa.String(length=36), nullable=False),
    sa.Column('created_by_user_id', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payment_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], name=op.f('fk_pay_requests_bill_id_bills'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'],
                            name=op.f('fk_pay_requests_created_by_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_pay_requests_payment_id_payments'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_pay_requests_token_hash'))
    )
    with op.batch_alter_table('pay_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pay_requests_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pay_requests_created_by_user_id'), ['created_by_user_id'],
                              unique=False)

    op.create_table('student_accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('created_by_user_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'],
                            name=op.f('fk_student_accounts_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_student_accounts_person_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_accounts')),
    sa.UniqueConstraint('person_id', name=op.f('uq_student_accounts_person_id')),
    sa.UniqueConstraint('phone', name=op.f('uq_student_accounts_phone'))
    )


def downgrade() -> None:
    op.drop_table('student_accounts')
    with op.batch_alter_table('pay_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pay_requests_created_by_user_id'))
        batch_op.drop_index(batch_op.f('ix_pay_requests_bill_id'))
    op.drop_table('pay_requests')
    with op.batch_alter_table('family_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_invitations_phone'))
        batch_op.drop_index(batch_op.f('ix_family_invitations_inviter_user_id'))
        batch_op.drop_index(batch_op.f('ix_family_invitations_person_id'))
    op.drop_table('family_invitations')
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_family_members_added_by_user_id_users'), type_='foreignkey')
        batch_op.drop_column('added_by_user_id')
