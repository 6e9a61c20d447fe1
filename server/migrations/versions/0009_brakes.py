"""Brakes (issue 7): how each brake ended — shown, passed, abandoned — to measure their effect.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brake_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('brake', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('context', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_brake_events_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brake_events'))
    )
    with op.batch_alter_table('brake_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brake_events_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_brake_events_brake'), ['brake'], unique=False)
        batch_op.create_index(batch_op.f('ix_brake_events_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('brake_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brake_events_created_at'))
        batch_op.drop_index(batch_op.f('ix_brake_events_brake'))
        batch_op.drop_index(batch_op.f('ix_brake_events_user_id'))
    op.drop_table('brake_events')
