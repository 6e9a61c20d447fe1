"""Payee check: invoice patterns, flagged accounts, fraud reports, outbound messages (the outbox).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:33:10.309603
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbound_messages',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('recipient_kind', sa.String(length=30), nullable=False),
    sa.Column('recipient_ref', sa.String(length=36), nullable=False),
    sa.Column('address_phone', sa.String(length=20), nullable=False),
    sa.Column('address_email', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('ref_type', sa.String(length=30), nullable=False),
    sa.Column('ref_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_messages'))
    )
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_messages_status'), ['status'], unique=False)

    op.create_table('flagged_accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('bank_bin', sa.String(length=6), nullable=False),
    sa.Column('account_number', sa.String(length=19), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('institution_id', sa.String(length=36), nullable=True),
    sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_flagged_accounts_institution_id_institutions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flagged_accounts')),
    sa.UniqueConstraint('bank_bin', 'account_number', name=op.f('uq_flagged_accounts_bank_bin'))
    )
    with op.batch_alter_table('flagged_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flagged_accounts_institution_id'), ['institution_id'], unique=False)

    op.create_table('fraud_reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('institution_id', sa.String(length=36), nullable=True),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('image_type', sa.String(length=20), nullable=True),
    sa.Column('seen_at', sa.String(length=30), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('bank_bin', sa.String(length=6), nullable=True),
    sa.Column('account_number', sa.String(length=19), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_fraud_reports_institution_id_institutions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fraud_reports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fraud_reports')),
    sa.UniqueConstraint('user_id', 'idempotency_key', name=op.f('uq_fraud_reports_user_id'))
    )
    with op.batch_alter_table('fraud_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fraud_reports_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fraud_reports_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_pattern', sa.String(length=120), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('invoice_pattern')

    with op.batch_alter_table('fraud_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fraud_reports_user_id'))
        batch_op.drop_index(batch_op.f('ix_fraud_reports_institution_id'))

    op.drop_table('fraud_reports')
    with op.batch_alter_table('flagged_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flagged_accounts_institution_id'))

    op.drop_table('flagged_accounts')
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_messages_status'))

    op.drop_table('outbound_messages')
