"""Visits, condition assessments, disturbances and evidence, in EAMENA's structure.

An :class:`Assessment` records one site's condition on a date, optionally within a
:class:`Visit`. Each :class:`Disturbance` names a cause, its effects and when it happened;
who is said to be responsible is never the register's own voice but a
:class:`ResponsibilityClaim` with its own source. :class:`Evidence` items are the photos and
documents behind them.

The models live in one module per topic; other code imports every name from here.
"""

from heritage.base import DatePrecision

# isort: off
# In the order the models have always been registered in (it sets, for one, the order in
# which their content types and permissions are created).
from inspections.models.vocabularies import (
    VOCABULARIES,
    AssessmentType,
    CauseCategory,
    CauseType,
    Certainty,
    DamageExtent,
    DamageTrend,
    EffectType,
    OverallCondition,
    Priority,
    VocabularyTerm,
)
from inspections.models.visits import (
    ParticipantRole,
    Participation,
    Visit,
    VisitCitation,
    VisitKind,
    VisitStatus,
)
from inspections.models.assessments import Assessment, AssessmentCitation, Verification
from inspections.models.disturbances import Disturbance, ResponsibilityClaim
from inspections.models.site_status import ConditionStatus, SiteStatus
from inspections.models.site_counts import (
    AssessedYearCount,
    AssessmentMonthCount,
    CitedSourceCount,
    DamageDating,
    DamageYearCount,
    SiteCount,
)
from inspections.models.licences import LICENCE_URLS, REDISTRIBUTABLE, Licence
from inspections.models.evidence import (
    EVIDENCE_SUBJECTS,
    Evidence,
    EvidenceFormat,
    EvidenceKind,
    EvidenceQuerySet,
    EvidenceTranslation,
)
from inspections.models.statements import Statement, VisitEvent
from inspections.models.restoration import (
    EvidencePhase,
    FabricOutcome,
    OrganisationRole,
    ProjectBudget,
    ProjectEvidence,
    ProjectKind,
    ProjectRole,
    ProjectStatus,
    ProjectStatusUpdate,
    RestorationProject,
    budget_totals,
)
from inspections.models.commitments import (
    FULFILLED_STATUSES,
    OUTCOME_STATUSES,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    CommitmentUpdate,
    CourseKind,
    TrainingCourse,
)
from inspections.models.map_cells import MapCell, MapCellYear

# isort: on

__all__ = [
    "EVIDENCE_SUBJECTS",
    "FULFILLED_STATUSES",
    "LICENCE_URLS",
    "OUTCOME_STATUSES",
    "REDISTRIBUTABLE",
    "VOCABULARIES",
    "AssessedYearCount",
    "Assessment",
    "AssessmentCitation",
    "AssessmentMonthCount",
    "AssessmentType",
    "CauseCategory",
    "CauseType",
    "Certainty",
    "CitedSourceCount",
    "Commitment",
    "CommitmentKind",
    "CommitmentStatus",
    "CommitmentUpdate",
    "ConditionStatus",
    "CourseKind",
    "DamageDating",
    "DamageExtent",
    "DamageTrend",
    "DamageYearCount",
    "DatePrecision",
    "Disturbance",
    "EffectType",
    "Evidence",
    "EvidenceFormat",
    "EvidenceKind",
    "EvidencePhase",
    "EvidenceQuerySet",
    "EvidenceTranslation",
    "FabricOutcome",
    "Licence",
    "MapCell",
    "MapCellYear",
    "OrganisationRole",
    "OverallCondition",
    "ParticipantRole",
    "Participation",
    "Priority",
    "ProjectBudget",
    "ProjectEvidence",
    "ProjectKind",
    "ProjectRole",
    "ProjectStatus",
    "ProjectStatusUpdate",
    "ResponsibilityClaim",
    "RestorationProject",
    "SiteCount",
    "SiteStatus",
    "Statement",
    "TrainingCourse",
    "Verification",
    "Visit",
    "VisitCitation",
    "VisitEvent",
    "VisitKind",
    "VisitStatus",
    "VocabularyTerm",
    "budget_totals",
]
