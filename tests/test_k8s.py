"""deploy/k8s is right by construction: no cluster here, so this validates the manifests offline — a schema
check of the kinds they use (known apiVersion/kind, required and allowed fields, DNS names, ports,
probes, quantities) and their references to each other (selectors, Services to ports, autoscalers to
Deployments, ConfigMap and Secret keys) — and checks them against the code the way
tests/test_docker_compose.py checks compose: every setting a container's code reads is provided."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.settings import ApiSettings
from assistant.settings import Settings
from search_index.settings import SearchSettings
from tests.test_docker_compose import SERVICES as COMPOSE_SERVICES
from tests.test_docker_compose import env_names

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
SECRET_NAME = "tro-ly-ao-dvc-secrets"


def load(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


KUSTOMIZATION = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
OBJECTS = [obj for name in KUSTOMIZATION["resources"] for obj in load(K8S / name)]
SECRET_EXAMPLE = load(K8S / "secrets.example.yaml")[0]


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in OBJECTS if o["kind"] == kind}


# ----------------------------------------------------------------------------- the schema check
API_VERSIONS = {
    "Namespace": "v1",
    "Service": "v1",
    "ConfigMap": "v1",
    "Secret": "v1",
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "Job": "batch/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
    "PodDisruptionBudget": "policy/v1",
}
TOP_LEVEL = {"apiVersion", "kind", "metadata", "spec", "data", "stringData", "type"}
POD_SPEC = {"containers", "restartPolicy", "terminationGracePeriodSeconds", "volumes", "securityContext"}
CONTAINER = {
    "name", "image", "command", "args", "env", "envFrom", "ports", "readinessProbe", "livenessProbe",
    "startupProbe", "resources", "volumeMounts", "imagePullPolicy", "securityContext", "workingDir",
}  # fmt: skip
PROBE = {
    "httpGet", "tcpSocket", "exec", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
    "failureThreshold", "successThreshold",
}  # fmt: skip
WORKLOAD_SPEC = {
    "Deployment": {"replicas", "selector", "template", "strategy", "minReadySeconds"},
    "StatefulSet": {
        "replicas", "selector", "template", "serviceName", "podManagementPolicy", "volumeClaimTemplates",
        "updateStrategy",
    },
    "Job": {"template", "backoffLimit", "ttlSecondsAfterFinished", "activeDeadlineSeconds"},
}  # fmt: skip
SERVICE_SPEC = {"selector", "ports", "clusterIP", "type", "externalName", "publishNotReadyAddresses"}
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G)?$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def problems_of_probe(where: str, probe: dict[str, Any], ports: set[str | int]) -> Iterator[str]:
    if set(probe) - PROBE:
        yield f"{where}: unknown probe fields {set(probe) - PROBE}"
    handlers = [h for h in ("httpGet", "tcpSocket", "exec") if h in probe]
    if len(handlers) != 1:
        yield f"{where}: a probe needs exactly one handler, has {handlers}"
    if "httpGet" in probe:
        get = probe["httpGet"]
        if not str(get.get("path", "")).startswith("/"):
            yield f"{where}: httpGet.path must start with /"
        if get.get("port") not in ports:
            yield f"{where}: probe port {get.get('port')!r} is not a container port"


def problems_of_container(where: str, c: dict[str, Any]) -> Iterator[str]:
    if set(c) - CONTAINER:
        yield f"{where}: unknown container fields {set(c) - CONTAINER}"
    if not DNS_LABEL.match(str(c.get("name", ""))) or not c.get("image"):
        yield f"{where}: a container needs a DNS-label name and an image"
    ports: set[str | int] = set()
    for port in c.get("ports", []):
        number = port.get("containerPort")
        if not isinstance(number, int) or not 0 < number < 65536:
            yield f"{where}: containerPort {number!r}"
        ports.add(number)
        if "name" in port:
            if len(port["name"]) > 15 or not DNS_LABEL.match(port["name"]):
                yield f"{where}: port name {port['name']!r}"
            ports.add(port["name"])
    for kind in ("readinessProbe", "livenessProbe", "startupProbe"):
        if kind in c:
            yield from problems_of_probe(f"{where}.{kind}", c[kind], ports)
    for entry in c.get("env", []):
        if not ENV_NAME.match(str(entry.get("name", ""))) or ("value" in entry) == ("valueFrom" in entry):
            yield f"{where}: env entry {entry} needs a name and exactly one of value/valueFrom"
        if "value" in entry and not isinstance(entry["value"], str):
            yield f"{where}: env {entry['name']} value must be a string"
    for section in ("requests", "limits"):
        for resource, amount in c.get("resources", {}).get(section, {}).items():
            if resource not in {"cpu", "memory"} or not QUANTITY.match(str(amount)):
                yield f"{where}: resources.{section}.{resource}={amount!r}"


def problems_of(obj: dict[str, Any]) -> Iterator[str]:
    kind, name = obj.get("kind"), obj.get("metadata", {}).get("name", "")
    where = f"{kind}/{name}"
    if API_VERSIONS.get(str(kind)) != obj.get("apiVersion"):
        yield f"{where}: apiVersion {obj.get('apiVersion')} for kind {kind}"
    if set(obj) - TOP_LEVEL:
        yield f"{where}: unknown top-level fields {set(obj) - TOP_LEVEL}"
    if not DNS_LABEL.match(name) or len(name) > 63:
        yield f"{where}: metadata.name is not a DNS label"
    spec = obj.get("spec", {})
    if kind in WORKLOAD_SPEC:
        if set(spec) - WORKLOAD_SPEC[str(kind)]:
            yield f"{where}: unknown spec fields {set(spec) - WORKLOAD_SPEC[str(kind)]}"
        template = spec.get("template", {})
        pod = template.get("spec", {})
        if set(pod) - POD_SPEC:
            yield f"{where}: unknown pod spec fields {set(pod) - POD_SPEC}"
        if kind != "Job":
            labels = template.get("metadata", {}).get("labels", {})
            selector = spec.get("selector", {}).get("matchLabels", {})
            if not selector or any(labels.get(k) != v for k, v in selector.items()):
                yield f"{where}: selector {selector} does not match the template labels {labels}"
        elif pod.get("restartPolicy") not in {"OnFailure", "Never"}:
            yield f"{where}: a Job's restartPolicy must be OnFailure or Never"
        if not pod.get("containers"):
            yield f"{where}: no containers"
        for container in pod.get("containers", []):
            yield from problems_of_container(f"{where}/{container.get('name')}", container)
    elif kind == "Service":
        if set(spec) - SERVICE_SPEC:
            yield f"{where}: unknown spec fields {set(spec) - SERVICE_SPEC}"
        if spec.get("type") == "ExternalName" and (not spec.get("externalName") or "selector" in spec):
            yield f"{where}: an ExternalName Service needs externalName and no selector"
        for port in spec.get("ports", []):
            if not isinstance(port.get("port"), int):
                yield f"{where}: port {port}"
    elif kind == "HorizontalPodAutoscaler":
        if not 1 <= spec.get("minReplicas", 1) <= spec.get("maxReplicas", 0):
            yield f"{where}: needs 1 <= minReplicas <= maxReplicas"
        if not spec.get("metrics"):
            yield f"{where}: no metrics"
    elif kind in {"ConfigMap", "Secret"}:
        for key, value in {**obj.get("data", {}), **obj.get("stringData", {})}.items():
            if not ENV_NAME.match(key) or not isinstance(value, str):
                yield f"{where}: {key}={value!r} (keys are variable names, values strings)"


def workloads() -> dict[str, dict[str, Any]]:
    return {**by_kind("Deployment"), **by_kind("StatefulSet"), **by_kind("Job")}


def container(workload: str) -> dict[str, Any]:
    containers: list[dict[str, Any]] = workloads()[workload]["spec"]["template"]["spec"]["containers"]
    return containers[0]


def provided_env(workload: str) -> set[str]:
    """What a workload's container sees: its env entries and every key of the ConfigMaps it loads."""
    c = container(workload)
    names = {e["name"] for e in c.get("env", [])}
    config_maps = by_kind("ConfigMap")
    for source in c.get("envFrom", []):
        names |= set(config_maps[source["configMapRef"]["name"]]["data"])
    return names


# ----------------------------------------------------------------------------- tests
def test_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secrets.example.yaml"}
    assert set(KUSTOMIZATION["resources"]) == manifests


@pytest.mark.parametrize(
    "obj", [*OBJECTS, SECRET_EXAMPLE], ids=lambda o: f"{o['kind']}/{o['metadata']['name']}"
)
def test_each_manifest_is_valid(obj: dict[str, Any]) -> None:
    assert list(problems_of(obj)) == []


def test_the_schema_check_finds_mistakes() -> None:
    deployment = by_kind("Deployment")["rasa"]
    broken = {**deployment, "apiVersion": "apps/v1beta1"}
    assert any("apiVersion" in p for p in problems_of(broken))
    pod = deployment["spec"]["template"]["spec"]
    typo = {
        **pod["containers"][0],
        "readinesProbe": {},
        "livenessProbe": {"httpGet": {"path": "/", "port": "web"}},
    }
    template = {**deployment["spec"]["template"], "spec": {**pod, "containers": [typo]}}
    found = list(problems_of({**deployment, "spec": {**deployment["spec"], "template": template}}))
    assert any("readinesProbe" in p for p in found) and any("'web'" in p for p in found)


def test_services_select_pods_and_reach_their_ports() -> None:
    pods = {name: w["spec"]["template"] for name, w in workloads().items()}
    for name, service in by_kind("Service").items():
        spec = service["spec"]
        if spec.get("type") == "ExternalName":
            continue
        matches = [
            t
            for t in pods.values()
            if all(t["metadata"]["labels"].get(k) == v for k, v in spec["selector"].items())
        ]
        assert matches, f"Service {name} selects no pod"
        ports = {p.get("name") for t in matches for c in t["spec"]["containers"] for p in c.get("ports", [])}
        ports |= {
            p["containerPort"] for t in matches for c in t["spec"]["containers"] for p in c.get("ports", [])
        }
        for port in spec["ports"]:
            assert port.get("targetPort", port["port"]) in ports, f"Service {name}: {port}"


def test_every_autoscaler_and_budget_targets_a_deployment_with_cpu_requests() -> None:
    deployments = by_kind("Deployment")
    for name, hpa in by_kind("HorizontalPodAutoscaler").items():
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment" and target["apiVersion"] == "apps/v1"
        assert target["name"] in deployments, name
        assert container(target["name"])["resources"]["requests"]["cpu"], name
    assert set(by_kind("HorizontalPodAutoscaler")) == {"api", "rasa", "action-server"}
    for name, budget in by_kind("PodDisruptionBudget").items():
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()


@pytest.mark.parametrize("name", ["api", "rasa", "action-server"])
def test_the_assistant_runs_as_deployments_with_probes(name: str) -> None:
    c = container(name)
    assert c.get("readinessProbe") and c.get("livenessProbe"), name
    assert by_kind("Deployment")[name]["spec"]["replicas"] >= 2


def test_the_api_is_ready_without_rasa_so_it_can_answer_from_search() -> None:
    assert container("api")["readinessProbe"]["httpGet"]["path"] != "/health"


def test_qdrant_is_a_stateful_set_that_replicates_the_collection() -> None:
    qdrant = by_kind("StatefulSet")["qdrant"]
    assert qdrant["spec"]["replicas"] >= 3 and qdrant["spec"]["volumeClaimTemplates"]
    assert qdrant["spec"]["serviceName"] in by_kind("Service")
    env = {e["name"]: e.get("value") for e in container("qdrant")["env"]}
    assert env["QDRANT__CLUSTER__ENABLED"] == "true"
    assert int(env["QDRANT__STORAGE__COLLECTION__REPLICATION_FACTOR"]) >= 2
    assert (
        by_kind("StatefulSet")["qdrant"]["spec"]["template"]["spec"]["containers"][0]["image"]
        == (COMPOSE_SERVICES["qdrant"]["image"])
    )


def test_postgres_and_redis_are_external() -> None:
    services = by_kind("Service")
    for name in ("postgres", "redis"):
        assert services[name]["spec"]["type"] == "ExternalName"
    assert not {"postgres", "redis"} & set(workloads())


@pytest.mark.parametrize(
    ("workload", "models"),
    [
        ("api", [ApiSettings, Settings, SearchSettings]),
        ("action-server", [Settings, SearchSettings]),
        ("init", [Settings, SearchSettings]),
    ],
)
def test_every_setting_the_code_reads_is_provided(workload: str, models: list[type]) -> None:
    wanted = set().union(*(env_names(m) for m in models))
    assert wanted - provided_env(workload) == set()


def test_rasa_gets_every_variable_its_production_endpoints_read_and_the_gateway_all_replicas() -> None:
    endpoints = (ROOT / "bot" / "endpoints.production.yml").read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{([A-Z0-9_]+)", endpoints)) - provided_env("rasa") == set()
    args = container("rasa")["args"]
    assert args[args.index("--port") + 1] == "5005" and "$(RASA_TOKEN)" in args
    assert args[args.index("--endpoints") + 1] == "bot/endpoints.production.yml"
    api = by_kind("ConfigMap")["api-config"]["data"]
    assert api["RASA_URL"] == "http://rasa:5005"
    assert by_kind("Service")["rasa"]["spec"]["clusterIP"] == "None", "the gateway must see every replica"
    assert api["ACTION_SERVER_URL"] == "http://action-server:5055"
    assert (
        by_kind("ConfigMap")["rasa-config"]["data"]["ACTION_ENDPOINT_URL"]
        == "http://action-server:5055/webhook"
    )


def test_secrets_come_from_the_secret_only() -> None:
    secret = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|DATABASE_URL|REDIS_URL")
    for name, config_map in by_kind("ConfigMap").items():
        assert not [k for k in config_map["data"] if secret.search(k)], name
    keys = set(SECRET_EXAMPLE["stringData"])
    for workload in workloads():
        for c in workloads()[workload]["spec"]["template"]["spec"]["containers"]:
            for entry in c.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == SECRET_NAME and ref["key"] in keys, (workload, entry)
                elif secret.search(entry["name"]):
                    pytest.fail(f"{workload}: {entry['name']} written inline")


def test_images_are_the_ones_compose_builds() -> None:
    for workload in ("api", "action-server", "init"):
        assert container(workload)["image"] == COMPOSE_SERVICES["init"]["image"]
    assert container("rasa")["image"] == COMPOSE_SERVICES["rasa"]["image"]
