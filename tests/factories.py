"""factory_boy factories for the domain objects, with plausible defaults."""

from datetime import date, time
from decimal import Decimal

import factory

from homecare.accounts.models import Role, User
from homecare.domain.identifiers import synthetic_nhs_number
from homecare.organisations.models import Area, Contract, Organisation
from homecare.packages.models import CarePackage, PatternEntry
from homecare.people.models import Contact, Individual
from homecare.workforce.models import CareWorker, Skill


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"County Council {n}")
    kind = Organisation.Kind.COUNCIL


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Care Provider {n} Ltd")
    kind = Organisation.Kind.PROVIDER
    cqc_rating = Organisation.Rating.GOOD


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    organisation = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    kind = Area.Kind.BOUNDARY


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    organisation = factory.SubFactory(CouncilFactory)
    provider = factory.SubFactory(ProviderFactory)
    reference = factory.Sequence(lambda n: f"CON-{n:04d}")
    kind = Contract.Kind.SPOT
    rulebook = "lan-hc"
    hourly_rate = Decimal("22.50")
    starts_on = date(2026, 4, 1)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class IndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individual

    organisation = factory.SubFactory(CouncilFactory)
    area = factory.SubFactory(AreaFactory, organisation=factory.SelfAttribute("..organisation"))
    council_identifier = factory.Sequence(lambda n: f"LAS{100000 + n}")
    nhs_number = factory.Sequence(lambda n: synthetic_nhs_number(n * 13))
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(1940, 5, 17)
    address_line_1 = factory.Sequence(lambda n: f"{n + 1} Preston New Road")
    town = "Blackburn"
    postcode = "BB2 6AA"
    latitude = Decimal("53.749000")
    longitude = Decimal("-2.500000")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    individual = factory.SubFactory(IndividualFactory)
    organisation = factory.SelfAttribute("individual.organisation")
    name = factory.Faker("name", locale="en_GB")
    relationship = Contact.Relationship.CHILD
    is_next_of_kin = True
    is_emergency_contact = True
    telephone = "+447700900123"


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")


class CareWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareWorker

    organisation = factory.SubFactory(ProviderFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    gender = "female"
    contracted_minutes = 30 * 60
    postcode = "BB1 5AB"
    latitude = Decimal("53.750000")
    longitude = Decimal("-2.480000")
    started_on = date(2024, 1, 8)


class CarePackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePackage

    contract = factory.SubFactory(ContractFactory)
    organisation = factory.SelfAttribute("contract.provider")
    individual = factory.SubFactory(
        IndividualFactory, organisation=factory.SelfAttribute("..contract.organisation")
    )
    reference = factory.Sequence(lambda n: f"PKG-{n:05d}")
    status = "active"
    start_date = date(2026, 1, 5)
    status_effective_on = factory.SelfAttribute("start_date")


class PatternEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatternEntry

    package = factory.SubFactory(CarePackageFactory)
    organisation = factory.SelfAttribute("package.organisation")
    weekday = 0
    start_time = time(8, 0)
    duration_minutes = 30
    tasks = ["Personal care"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    role = Role.PROVIDER_COORDINATOR
    password = factory.django.Password("correct horse battery staple")
