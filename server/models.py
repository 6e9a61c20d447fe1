"""Imports every area's models so metadata (and Alembic) sees the whole schema."""

from server.accounts.models import LinkRequest, PaymentSource, TokenRevocation  # noqa: F401
from server.auth.models import AuthSession, Confirmation, OtpChallenge, User  # noqa: F401
from server.bills.models import Bill, BillItem  # noqa: F401
from server.brakes.models import BrakeEvent  # noqa: F401
from server.db import Base  # noqa: F401
from server.family.models import FamilyInvitation  # noqa: F401
from server.fraud.models import FlaggedAccount, FlaggedPhone, FraudReport  # noqa: F401
from server.guidance.models import GuidanceFeedback  # noqa: F401
from server.institutions.models import CollectionAccount, Institution  # noqa: F401
from server.notifications.models import (  # noqa: F401
    Delivery, DeviceToken, Notification, NotificationPreference, NotificationSettings, OutboundMessage, PersonMute)
from server.people.attempts import PersonMatchFailure  # noqa: F401
from server.people.models import FamilyMember, Person  # noqa: F401
from server.payments.models import Payment, PaymentEvent, ProviderEvent  # noqa: F401
from server.shares.models import PayRequest  # noqa: F401
from server.students.models import StudentAccount  # noqa: F401
