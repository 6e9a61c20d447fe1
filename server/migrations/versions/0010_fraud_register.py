"""Fraud register (issue 7): scam reports carry a phone, a message and their review; confirmed phones.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('flagged_phones',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('institution_id', sa.String(length=36), nullable=True),
    sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'],
                            name=op.f('fk_flagged_phones_institution_id_institutions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flagged_phones')),
    sa.UniqueConstraint('phone', name=op.f('uq_flagged_phones_phone'))
    )
    with op.batch_alter_table('flagged_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flagged_phones_institution_id'), ['institution_id'], unique=False)

    with op.batch_alter_table('fraud_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('message_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_fraud_reports_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fraud_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fraud_reports_status'))
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('message_text')
        batch_op.drop_column('phone')
    with op.batch_alter_table('flagged_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flagged_phones_institution_id'))
    op.drop_table('flagged_phones')
