"""Guidance: readers' "was this helpful" votes, one per user and article (the content itself is a file).

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('guidance_feedback',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('article_id', sa.String(length=60), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_guidance_feedback_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guidance_feedback')),
    sa.UniqueConstraint('user_id', 'article_id', name=op.f('uq_guidance_feedback_user_id'))
    )
    with op.batch_alter_table('guidance_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guidance_feedback_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guidance_feedback_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('guidance_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guidance_feedback_article_id'))
        batch_op.drop_index(batch_op.f('ix_guidance_feedback_user_id'))
    op.drop_table('guidance_feedback')
