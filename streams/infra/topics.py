"""The topic catalog: every topic modstream reads or writes, declared once.

The faust app, `modstream topics apply`, ingest, tail and replay all read from here; no
other module holds a topic-name string. `schema` is the value record in `schemas/`. Who
produces and consumes each topic, as which principal: the wiring table, streams/infra/wiring.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.records import MAX_LINE_BYTES

DAY_MS = 24 * 3600 * 1000

# Record sizes, one coherent set: what we produce fits every topic, what we read is bounded
# before it is decoded, and a dead letter of the largest input still fits its topic.
TOPIC_MAX_BYTES = 1_048_588  #: max.message.bytes of every catalog topic (Kafka's default, set explicitly)
MAX_MESSAGE_BYTES = 1_000_000  #: the largest record modstream produces (producer message.max.bytes)
MAX_INPUT_BYTES = MAX_LINE_BYTES  #: an input record (as an ingest line) larger than this is dead-lettered undecoded
KEEP_ORIGINAL_BYTES = 64 * 1024  #: a dead letter keeps its original whole up to this size, else its start


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    schema: str  #: full Avro name of the value, e.g. modstream.Post
    key: str  #: what the (UTF-8 string) key is
    doc: str  #: what it holds; who writes and reads it is in streams/infra/wiring.py
    partitions: int | None = None  #: None: Settings.partitions
    retention_ms: int = 7 * DAY_MS  #: -1 keeps forever
    compacted: bool = False
    restricted: bool = False  #: holds data only a few services may read (see ops/acl.md)

    def config(self) -> dict[str, str]:
        conf = {"cleanup.policy": "compact" if self.compacted else "delete", "retention.ms": str(self.retention_ms),
                "max.message.bytes": str(TOPIC_MAX_BYTES)}
        if self.compacted:
            conf["min.compaction.lag.ms"] = "60000"
        return conf


CATALOG: tuple[TopicSpec, ...] = (
    # inputs
    TopicSpec("posts.v1", "modstream.Post", "post_id", "New posts from the firehose."),
    TopicSpec("account-updates.v1", "modstream.AccountUpdate", "account_id",
              "Latest full profile snapshot per account (compacted: the latest per key is kept forever).",
              retention_ms=-1, compacted=True),
    TopicSpec("account-patches.v1", "modstream.AccountUpdate", "account_id",
              "Partial profile updates (e.g. a handle change alone; `known_fields` set), merged into the "
              "registry's snapshot."),
    TopicSpec("account-status.v1", "modstream.AccountStatus", "account_id",
              "Account hosting status at the source (taken down, suspended, deleted, deactivated, active again).",
              retention_ms=-1, compacted=True),
    TopicSpec("post-deletions.v1", "modstream.PostDeletion", "post_id",
              "Posts deleted at the source; a post deleted before it is decided needs no action."),
    TopicSpec("reports.v1", "modstream.Report", "post_id", "User reports, from anyone, with or without an account."),
    TopicSpec("appeals.v1", "modstream.Appeal", "post_id", "Appeals against decisions.", retention_ms=90 * DAY_MS),
    TopicSpec("review-decisions.v1", "modstream.ReviewDecision", "post_id",
              "Human review decisions; the only source of a granted public-interest notice.", retention_ms=-1),
    TopicSpec("legal-requests.v1", "modstream.LegalRequest", "post_id", "Country-withholding demands.",
              retention_ms=-1),
    # pipeline and outputs
    TopicSpec("violations.v1", "modstream.TaggedPost", "post_id",
              "A post with the violations found (possibly none): replay's record of how it re-tagged a post "
              "(the live hot path tags in-process and records the violations in audit.v1)."),
    TopicSpec("escalations.v1", "modstream.Escalation", "post_id",
              "Violating posts by PIE-eligible accounts, for public-interest review, with a recommendation.",
              retention_ms=90 * DAY_MS),
    TopicSpec("actions.v1", "modstream.Action", "post_id",
              "Visibility-limiting and enforcement actions; apply each action_id once.", retention_ms=30 * DAY_MS),
    TopicSpec("notices.v1", "modstream.Notice", "post_id",
              "Statements of reasons to authors, reporters and viewers.", retention_ms=30 * DAY_MS),
    TopicSpec("ncmec-reports.v1", "modstream.NcmecReport", "post_id",
              "RESTRICTED: CyberTipline reports (ids and hashes only).", retention_ms=365 * DAY_MS, restricted=True),
    TopicSpec("audit.v1", "modstream.AuditRecord", "post_id",
              "Every decision with inputs, versions and effects.", retention_ms=-1),
    TopicSpec("policy-versions.v1", "modstream.PolicyVersion", "version",
              "Every policy version workers decided under, with its file text (compacted: one per version, kept).",
              partitions=1, retention_ms=-1, compacted=True),
    TopicSpec("dead-letters.v1", "modstream.DeadLetter", "source",
              "Input that could not be processed, with original bytes and the reason.", partitions=1,
              retention_ms=30 * DAY_MS),
)

BY_NAME = {t.name: t for t in CATALOG}

POSTS, ACCOUNTS, REPORTS, APPEALS, REVIEWS, LEGAL = (BY_NAME[n] for n in (
    "posts.v1", "account-updates.v1", "reports.v1", "appeals.v1", "review-decisions.v1", "legal-requests.v1"))
PATCHES, ACCOUNT_STATUS, DELETIONS = (BY_NAME[n] for n in (
    "account-patches.v1", "account-status.v1", "post-deletions.v1"))
VIOLATIONS, ESCALATIONS, ACTIONS, NOTICES, NCMEC, AUDIT, DEAD_LETTERS = (BY_NAME[n] for n in (
    "violations.v1", "escalations.v1", "actions.v1", "notices.v1", "ncmec-reports.v1", "audit.v1", "dead-letters.v1"))
POLICY_VERSIONS = BY_NAME["policy-versions.v1"]

#: Inputs whose agents dead-letter what they cannot take and read a re-fed record as new input:
#: the only topics `modstream dlq replay` writes to. Never an output (actions, notices, audit,
#: NCMEC reports), a pipeline stage, or human authority (review decisions): a dead letter is
#: anyone's bytes, and replay must not turn them into a decision.
REPLAYABLE = frozenset({POSTS, ACCOUNTS, PATCHES, DELETIONS, REPORTS, APPEALS, LEGAL})


def lookup(name: str, prefix: str = "") -> TopicSpec:
    """Find a topic by its catalog name (with or without the deployment prefix)."""
    bare = name[len(prefix):] if prefix and name.startswith(prefix) else name
    if bare not in BY_NAME:
        raise KeyError(f"unknown topic {name!r}; known topics: {', '.join(BY_NAME)}")
    return BY_NAME[bare]
