"""The runtime every driver shares: settings, policy, codec, tagger and the Redis stores.

Built once per worker process (the hot path and the faust worker each build their own, bound
to their event loop); drivers read it, and the engine decides with its policy and tagger.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from agents.classifier import TextClassifier
from agents.hashbank import HashBank
from agents.policy import Policy
from agents.tagger import TAGGER_VERSION, Tagger
from streams.infra import metrics, stores
from streams.infra.banks import BankCache, RedisBankStore
from streams.infra.codec import Codec
from streams.infra.config import Settings, SettingsError
from streams.infra.policy_file import PolicyFile, PolicyFileError
from streams.infra.policy_file import load as load_policy
from streams.infra.policy_versions import publish as publish_policy
from streams.infra.registry_import import load_seed
from streams.infra.retry import with_retry
from streams.infra.review_queue import RedisReviewQueue

log = structlog.get_logger("modstream.runtime")
#: seconds the start-up policy record waits for the broker's ack (see Runtime.publish_policy)
START_PUBLISH_SECONDS = 120.0


@dataclass
class Runtime:
    """What the bindings need, built once per worker process."""

    settings: Settings
    policy: Policy
    codec: Codec
    tagger: Tagger  #: rules, PII, hash banks and (unless settings.classifier is off) the learned classifier
    classifier_version: str | None
    registry: stores.RedisRegistry
    reports: stores.RedisReports
    decisions: stores.RedisDecisions
    deletions: stores.RedisDeletions
    queue: RedisReviewQueue
    caps: stores.RedisDailyCaps
    banks: BankCache
    policy_text: str = ""  #: the file `policy` was read from, as published to policy-versions.v1

    def reload_policy(self) -> PolicyFile | None:
        """Read the policy file again (SIGHUP) and switch to it; None when the version is unchanged.

        Raises PolicyFileError for a file that is not valid (the worker keeps its policy), or
        RuntimeError when the new version could not be recorded (it keeps its policy, too: no
        decision may carry a version that `modstream policy show` cannot rebuild).
        """
        pf = load_policy(self.settings.policy_file)
        if pf.policy.version == self.policy.version:
            return None
        publish_policy(self.settings, self.codec, pf)
        self.use_policy(pf)
        return pf

    def reload_logged(self) -> None:
        """SIGHUP: switch to the policy file's current version, or keep the old one and log why."""
        before = self.policy.version
        try:
            loaded = self.reload_policy()
        except (PolicyFileError, RuntimeError) as exc:
            log.warning("policy_reload_refused", version=before, reason=str(exc)[:500])
            return
        if loaded is None:
            log.info("policy_unchanged", version=before)
        else:
            log.info("policy_switched", from_version=before, to_version=loaded.policy.version)

    def use_policy(self, pf: PolicyFile) -> None:
        """Switch in one step, between batches: the tagger follows (rule and classifier-head states)."""
        self.policy, self.policy_text = pf.policy, pf.text
        self.tagger = self.tagger.with_policy(pf.policy)

    async def refresh_banks(self) -> None:
        """Pick up changed hash banks (checked every `bank_refresh_seconds`)."""
        snapshot = await self.banks.get()
        if self.banks.last_error is not None:
            log.warning("hash_banks_stale", error=type(self.banks.last_error).__name__)
        if snapshot is not self.tagger.banks:
            self.tagger = self.tagger.with_banks(snapshot)

    @classmethod
    def build(cls, settings: Settings) -> "Runtime":
        """Everything a worker needs, the policy file included (SettingsError when it is not valid)."""
        try:
            pf = load_policy(settings.policy_file)
        except PolicyFileError as exc:
            raise SettingsError(f"MODSTREAM_POLICY_FILE: {exc}") from None
        policy = pf.policy
        redis = stores.connect(settings.redis_url)
        classifier = TextClassifier.load() if settings.classifier else None
        metrics.CLASSIFIER.info({"version": classifier.version if classifier else "off"})
        return cls(
            settings=settings,
            policy=policy,
            codec=Codec.from_dir(settings.schema_dir, registry_url=settings.schema_registry_url or None),
            tagger=Tagger(policy, classifier=classifier),
            classifier_version=classifier.version if classifier else None,
            registry=stores.RedisRegistry(redis, cache_seconds=settings.registry_cache_seconds),
            reports=stores.RedisReports(redis, stores.Retention.of(settings)),
            decisions=stores.RedisDecisions(redis, stores.Retention.of(settings)),
            deletions=stores.RedisDeletions(redis, stores.Retention.of(settings)),
            queue=RedisReviewQueue(redis),
            caps=stores.RedisDailyCaps(redis),
            banks=BankCache(RedisBankStore(redis), refresh_seconds=settings.bank_refresh_seconds),
            policy_text=pf.text,
        )

    async def load_registry_seed(self) -> int:
        """The shipped designations into the Redis registry, so officials are known before the first
        decision (every driver that decides posts live calls it at start). Returns the accounts stored."""
        if not self.settings.registry_seed.exists():
            return 0
        n = await with_retry("registry.seed", self.registry.put_designations, load_seed(self.settings.registry_seed))
        log.info("registry_seed_loaded", accounts=n, seed=self.settings.registry_seed.name)
        metrics.REGISTRY_SIZE.set(n)
        return n

    def publish_policy(self) -> None:
        """Record the policy in force on policy-versions.v1 (at start, before the first decision).

        Waits up to START_PUBLISH_SECONDS for the ack: a worker or hot path that gives up here never
        decides anything (a hot path child that exits so is not restarted). On the three-broker
        cluster an idempotent producer's id took over 10 s to come (the broker answered
        COORDINATOR_LOAD_IN_PROGRESS while the active controller stalled for 10.6 s) and the hot path
        died at start after the 10 s it had (cluster chaos, redis_master_kill9)."""
        publish_policy(self.settings, self.codec, PolicyFile(self.policy, self.policy_text, str(self.settings.policy_file)),
                       timeout=START_PUBLISH_SECONDS)

    @property
    def versions(self) -> dict[str, str]:
        return audit_versions(self.policy, self.tagger.banks, self.classifier_version)


def audit_versions(policy: Policy, banks: HashBank, classifier_version: str | None) -> dict[str, str]:
    """The audit record's `versions`: everything besides the input a decision depends on."""
    versions = {"tagger": TAGGER_VERSION, "policy": policy.version, "policy_fingerprint": policy.fingerprint,
                "hashbank": banks.version}
    if policy.shadow_policies:  # replays must know which rules were only recorded
        versions["shadow"] = ",".join(sorted(policy.shadow_policies))
    if classifier_version:
        versions["classifier"] = classifier_version
    return versions
