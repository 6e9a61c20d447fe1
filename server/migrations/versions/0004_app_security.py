"""App security: PIN (argon2id hash, tries and locks), biometric key per session, step-up confirmations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_hash', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('pin_failed_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('pin_lock_level', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('pin_locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pin_reset_required', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('biometric_key_hash', sa.String(length=64), nullable=True))

    op.create_table('confirmations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['auth_sessions.id'],
                            name=op.f('fk_confirmations_session_id_auth_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confirmations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_confirmations_token_hash'))
    )
    with op.batch_alter_table('confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confirmations_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_confirmations_session_id'))
    op.drop_table('confirmations')

    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_column('biometric_key_hash')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('pin_reset_required')
        batch_op.drop_column('pin_locked_until')
        batch_op.drop_column('pin_lock_level')
        batch_op.drop_column('pin_failed_attempts')
        batch_op.drop_column('pin_hash')
