"""Linked accounts: payment sources (encrypted tokens), link requests, payments.source_id.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-22 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payment_sources',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('account_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('account_last4', sa.String(length=4), nullable=False),
    sa.Column('account_cipher', sa.Text(), nullable=False),
    sa.Column('holder_name', sa.String(length=120), nullable=False),
    sa.Column('token_cipher', sa.Text(), nullable=True),
    sa.Column('token_ref', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('name_matches', sa.Boolean(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payment_sources_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_sources')),
    sa.UniqueConstraint('user_id', 'kind', 'provider', 'account_fingerprint',
                        name=op.f('uq_payment_sources_user_id'))
    )
    with op.batch_alter_table('payment_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_sources_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_sources_token_ref'), ['token_ref'], unique=False)

    op.create_table('link_requests',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('account_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('account_last4', sa.String(length=4), nullable=False),
    sa.Column('account_cipher', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('provider_link_id', sa.String(length=64), nullable=True),
    sa.Column('approve_url', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_id', sa.String(length=36), nullable=True),
    sa.Column('failure_code', sa.String(length=32), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_link_requests_user_id_users'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['payment_sources.id'],
                            name=op.f('fk_link_requests_source_id_payment_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_requests')),
    sa.UniqueConstraint('user_id', 'idempotency_key', name=op.f('uq_link_requests_user_id'))
    )
    with op.batch_alter_table('link_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_requests_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_requests_provider_link_id'), ['provider_link_id'], unique=False)

    # The linked source a payment was charged on; no foreign key: unlinking keeps the payment's record.
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_payments_source_id'), ['source_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_source_id'))
        batch_op.drop_column('source_id')
    with op.batch_alter_table('link_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_requests_provider_link_id'))
        batch_op.drop_index(batch_op.f('ix_link_requests_user_id'))
    op.drop_table('link_requests')
    with op.batch_alter_table('payment_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_sources_token_ref'))
        batch_op.drop_index(batch_op.f('ix_payment_sources_user_id'))
    op.drop_table('payment_sources')
