"""Internal platform: the team that runs CI, the Kubernetes clusters and the databases for the
forty other engineers of a mid-size software company.

The moment: Wednesday 25 November 2026. Iteration 15 ended on Friday; Iteration 16 (three weeks,
like every iteration) is planned tomorrow, and the Kubernetes upgrade carries over half done.
The team loses much of its time to support and incidents, and its availability swings (parental
leave, on-call weeks), so it sizes iterations by focus factor × person-days rather than by
velocity, and ranks by WSJF. The Postgres upgrade is bigger than an iteration; the logging
migration was split in the summer and is half done.
"""

from __future__ import annotations

from sample_backlogs.spec import Sample, item, member, sprint

SLACK = "https://northwind.slack.com/archives"
GRAFANA = "https://grafana.internal.northwind.io/d"
WIKI = "https://wiki.internal.northwind.io/platform"
AWS_COST = "https://us-east-1.console.aws.amazon.com/cost-management/home#/cost-explorer"

ITEMS = [
    # ----- Iteration 16 (started Monday) -------------------------------------------------------
    item(
        "eks-131", "Upgrade the EKS clusters from Kubernetes 1.30 to 1.31 before standard support ends",
        kind="chore", points=8, moscow="must", status="planned", created="2026-09-28", updated="2026-11-24 15:30",
        labels=["kubernetes", "upgrade"],
        description="""
Standard support for 1.30 on EKS ends in late January; after that AWS charges extended support
(about $430 a month per cluster, 6 clusters). Order: dev, staging, then prod-eu and prod-us on
separate days, each after a week of soaking in staging.

Known breakage: the old `flowcontrol.apiserver.k8s.io/v1beta3` objects in the ingress chart.
""",
        criteria=[
            "[x] dev and staging run 1.31 with every node group upgraded",
            "[x] The ingress chart uses flowcontrol v1",
            "prod-eu and prod-us run 1.31; no service had more than its error budget's worth of errors during the "
            "upgrade",
            "The upgrade runbook is updated with what we learned",
        ],
        scores={"business_value": 5, "time_criticality": 13, "risk_reduction": 8, "job_size": 8},
    ),
    item(
        "wildcard-cert", "Rotate the *.internal.northwind.io wildcard certificate (expires 8 January)",
        kind="chore", points=2, moscow="must", status="ready", created="2026-11-09", updated="2026-11-23 14:00",
        labels=["security", "certificates"],
        criteria=[
            "The new certificate is in AWS Certificate Manager and on every internal load balancer",
            "An alert fires 30 days before any internal certificate expires",
        ],
        questions=[("Security (Nadia)", "Do we move to automated renewal with cert-manager at the same time?",
                    "Not now: rotate by hand, and file cert-manager as its own item.")],
        scores={"business_value": 3, "time_criticality": 20, "risk_reduction": 13, "job_size": 2},
    ),
    item(
        "ci-disk", "CI runners run out of disk on large monorepo builds", kind="bug", points=3, moscow="must",
        status="ready", created="2026-11-10", updated="2026-11-23 14:12", labels=["ci"],
        description="Builds of the web monorepo fail with `no space left on device` when the Docker layer "
                    "cache and the Gradle cache are both warm. Runners have 100 GB disks.",
        criteria=[
            "Given a warm runner, when the web monorepo builds, then it finishes without running out of disk",
            "Caches older than 7 days are pruned every night",
        ],
        evidence=[
            ("23 threads in #help-platform in November", f"{SLACK}/C02HELPPLAT"),
            ("CI failure rate 4.1% (target under 1%)", f"{GRAFANA}/ci-health/ci-health?orgId=1&var-repo=web"),
        ],
        scores={"business_value": 8, "time_criticality": 8, "risk_reduction": 3, "job_size": 3},
    ),
    item(
        "preview-envs-spike", "Preview environments per pull request: Argo CD ApplicationSets or vCluster?",
        kind="spike", points=3, moscow="should", created="2026-10-19", updated="2026-11-23 14:30",
        labels=["developer-experience", "kubernetes"],
        description="Timebox 3 days. Both product teams asked for this in the autumn survey.",
        criteria=["A decision record: the option chosen, its cost per environment per day, and what it needs from "
                  "the teams"],
        questions=[("FinOps (Tom)", "What may a preview environment cost per day before we need approval?")],
        scores={"business_value": 8, "time_criticality": 3, "risk_reduction": 5, "job_size": 3},
    ),
    # ----- bigger than an iteration ------------------------------------------------------------
    item(
        "postgres-16", "Upgrade the orders database from Postgres 13 to 16", kind="chore", points=20,
        moscow="must", created="2026-07-06", updated="2026-11-18", labels=["database", "upgrade"],
        description="""
RDS ends standard support for Postgres 13 on 28 February 2027. The orders database is 1.8 TB
and has 40 logical replication slots for the data team's CDC pipeline, so an in-place major
upgrade means several hours of downtime. Plan: a blue/green deployment, switch over in the
Sunday maintenance window.

Should be split (rehearsal on a snapshot, CDC slots, the switch-over itself), but the team
wants the spike's results first.
""",
        criteria=[
            "Given the blue/green switch-over, when it runs, then orders are unavailable for under 5 minutes",
            "The data team's CDC pipeline resumes without losing or repeating events",
        ],
        questions=[
            ("Data team (Oskar)", "Can the CDC pipeline pause for the switch-over, and for how long?",
             "Up to two hours, on a Sunday morning."),
            ("Payments team lead (Zoe)", "Which Sunday in January is outside the payments freeze?"),
        ],
        scores={"business_value": 5, "time_criticality": 13, "risk_reduction": 13, "job_size": 20},
    ),
    # ----- next iterations --------------------------------------------------------------------
    item(
        "golden-path-python", "Golden path: a template for new Python services", kind="story", points=8,
        moscow="should", status="ready", created="2026-08-17", updated="2026-11-02",
        labels=["developer-experience"],
        description="""
New services take two weeks to reach production because every team copies another service and
fixes what does not fit. A template that gives a service with CI, a Helm chart, dashboards and
alerts on the first day:

```yaml
# catalog-info.yaml generated by the template
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${{ values.name }}
  annotations:
    argocd/app-name: ${{ values.name }}
spec:
  type: service
  lifecycle: experimental
  owner: ${{ values.team }}
```
""",
        criteria=[
            "Given the template, when a team creates a service, then it deploys to staging on the first day",
            "The service has a dashboard and the four golden-signal alerts out of the box",
        ],
        evidence=[("Autumn developer survey: \"setting up a new service\" is the top complaint (19 of 37)",
                   f"{WIKI}/surveys/2026-autumn")],
        scores={"business_value": 8, "time_criticality": 2, "risk_reduction": 5, "job_size": 8},
    ),
    item(
        "noisy-alerts", "Runbooks for the ten noisiest alerts", kind="story", points=5, moscow="should",
        status="ready", created="2026-09-14", updated="2026-11-02", labels=["on-call", "observability"],
        criteria=[
            "Each of the ten alerts that paged most in Q3 links to a runbook",
            "Given a page for one of them, when the on-call engineer opens the runbook, then it says how to tell "
            "whether to act and what to do",
        ],
        evidence=[("Pages per week: 31 in October, 60% from ten alerts", f"{GRAFANA}/oncall/pager-load")],
        scores={"business_value": 5, "time_criticality": 5, "risk_reduction": 8, "job_size": 5},
    ),
    item(
        "dev-clusters-night", "Scale dev and staging clusters down at night and at weekends", kind="story",
        points=3, moscow="should", status="ready", created="2026-10-07", updated="2026-11-09",
        labels=["cost", "kubernetes"],
        description="""
Dev and staging run all week at daytime size. Their nodes are busy on weekdays from 07:00 to
20:00 (Europe/London) only.

| Cluster | Nodes (day) | Cost a month | Saving if down 20:00–07:00 and weekends |
|---|---|---|---|
| dev-eu | 14 | $7,900 | about $4,600 |
| staging-eu | 10 | $5,600 | about $3,300 |
| staging-us | 6 | $3,400 | about $2,000 |
""",
        criteria=[
            "Given 20:00 on a weekday, when the schedule runs, then dev and staging scale to their night size",
            "Given a developer who needs the cluster at night, when they run the wake-up command, then it is back "
            "within 10 minutes",
        ],
        questions=[("FinOps (Tom)", "Do the savings count toward this year's budget or next year's?",
                    "Next year's: start in January is fine.")],
        evidence=[("Cost Explorer: non-production is 38% of the EKS bill", AWS_COST)],
        scores={"business_value": 8, "time_criticality": 5, "risk_reduction": 2, "job_size": 3},
    ),
    item(
        "builds-faster", "Make builds faster", kind="story", points=13, moscow="should", created="2026-06-22",
        updated="2026-10-12", labels=["ci", "developer-experience"],
        description="Everyone says CI is slow. Median pipeline is 18 minutes.",
    ),
    # ----- centralised logging, split in July ------------------------------------------------
    item(
        "logging", "Replace the self-hosted ELK stack with Grafana Loki", kind="epic", points=40,
        moscow="should", status="split", created="2026-05-11", updated="2026-07-20 11:00",
        labels=["observability", "cost"],
        description="""
Elasticsearch costs $11k a month, needs a person a week to keep alive, and still loses logs at
peak. Loki on S3 costs a tenth. Split in July (major effort first, then the rest).
""",
        criteria=[
            "Every service's logs are in Loki with the same labels as today",
            "Kibana dashboards that teams use have a Grafana equivalent",
            "The ELK cluster is switched off and its storage deleted",
        ],
        evidence=[("ELK cost: $11,200 a month (Cost Explorer, tag stack=elk)", AWS_COST)],
    ),
    item(
        "logging-ship", "Loki: ship every service's logs to Loki", kind="story", points=8, moscow="should",
        status="done", parent="logging", created="2026-07-20 11:00", updated="2026-09-10",
        labels=["observability", "cost"],
        criteria=["[x] Every service's logs are in Loki with the same labels as today"],
    ),
    item(
        "logging-dashboards", "Loki: move the team dashboards from Kibana to Grafana", kind="story", points=8,
        moscow="should", status="ready", parent="logging", created="2026-07-20 11:00",
        updated="2026-10-30 16:20", labels=["observability", "cost"],
        description="Started in Iteration 14, paused for the SOC 2 work. The search team has not signed off yet.",
        criteria=[
            "[x] The payments and checkout teams' dashboards are in Grafana",
            "[x] The search team's dashboards are in Grafana",
            "Kibana dashboards that teams use have a Grafana equivalent, signed off by each team",
        ],
    ),
    item(
        "logging-switch-off", "Loki: switch off the ELK cluster", kind="chore", points=3, moscow="should",
        parent="logging", created="2026-07-20 11:00", updated="2026-10-05", labels=["observability", "cost"],
        criteria=["The ELK cluster is switched off and its storage deleted"],
        questions=[("Security (Nadia)", "Do we need to keep any ELK audit logs for the SOC 2 period?")],
    ),
    item(
        "grafana-sso", "Single sign-on with Okta for Grafana and Argo CD", kind="story", points=3, moscow="must",
        created="2026-10-26", updated="2026-11-16", labels=["security"],
        description="SOC 2 finding: shared admin accounts on Grafana and Argo CD. Must be fixed before the "
                    "auditors come back in March.",
        criteria=["Given an engineer who leaves, when they are removed from Okta, then they lose access to Grafana "
                  "and Argo CD at once"],
        questions=[("Security (Nadia)", "Which Okta groups map to Argo CD admin?")],
        scores={"business_value": 3, "time_criticality": 8, "risk_reduction": 13, "job_size": 3},
    ),
    item(
        "restore-tests", "Test restoring every production database each month, automatically", kind="story",
        points=8, moscow="must", created="2026-08-31", updated="2026-10-21", labels=["database", "security"],
        criteria=[
            "Each month every production database is restored from its backup into an isolated account",
            "Given a restore that fails or takes longer than the recovery time objective, when the job ends, "
            "then the on-call engineer is paged",
        ],
        questions=[("Security (Nadia)", "Is a monthly test enough for SOC 2, or do they want weekly?",
                    "Monthly, with evidence kept for a year.")],
        scores={"business_value": 3, "time_criticality": 5, "risk_reduction": 20, "job_size": 8},
    ),
    item(
        "terraform-state", "Split the monolithic Terraform state", kind="chore", points=13, moscow="should",
        created="2026-06-01", updated="2026-09-07", labels=["terraform", "tech-debt"],
        description="One state file holds 4,100 resources; a plan takes 9 minutes and two people cannot work on "
                    "infrastructure at the same time. Split per account and per layer (network, cluster, data).",
        scores={"business_value": 3, "time_criticality": 2, "risk_reduction": 8, "job_size": 13},
    ),
    item(
        "argo-out-of-sync", "Argo CD shows apps out of sync after every deploy", kind="bug", points=2,
        moscow="could", created="2026-10-13", labels=["kubernetes", "argo-cd"],
        description="The HPA changes `spec.replicas`; Argo CD compares it with the chart. Add an "
                    "`ignoreDifferences` for replicas on Deployments that have an HPA.",
        criteria=["Given an app with an HPA, when it scales, then Argo CD still shows it in sync"],
    ),
    item(
        "self-service-dns", "Self-service DNS records through a pull request", kind="story", points=5,
        moscow="could", created="2026-07-27", labels=["developer-experience"],
        questions=[("Head of Engineering (Maya)", "May product teams create public DNS records without review?")],
    ),
    item(
        "msk-upgrade", "Upgrade the Kafka (MSK) clusters to 3.7", kind="chore", points=5, moscow="could",
        created="2026-08-10", labels=["kafka", "upgrade"],
    ),
    item(
        "ci-migration", "Move CI from Jenkins to GitHub Actions", kind="epic", points=100, moscow="could",
        created="2026-03-09", updated="2026-10-05", labels=["ci"],
        description="""
## Why

Jenkins is one large VM with 140 plugins, upgraded by hand once a year. Every team already
keeps its code on GitHub.

Its pipelines are Groovy that only two people here can read, and the build queue is the most
common reason a deploy takes longer than an hour.

## How

Team by team: self-hosted runners on the EKS clusters, a shared library of reusable workflows,
then move each repository and switch its Jenkins job off. The monorepo last.

1. Runners: autoscaled with Actions Runner Controller, arm64 and amd64 (see the arm64 runners
   item, done in Iteration 15).
2. Reusable workflows: build, test, image, deploy through Argo CD; secrets through OIDC to AWS,
   no long-lived keys.
3. Pilot with the search team (8 repositories), then payments and checkout (21), then the rest.
4. The web monorepo, with its own caching plan.
5. Jenkins read-only for three months, then switched off.

## Open

Runner costs, and who owns the shared workflows afterwards. Probably 5 or 6 stories per team
once the pilot shows what moving one repository really takes.
""",
        questions=[
            ("Head of Engineering (Maya)", "Is this next year's platform goal, or does the Postgres work come "
             "first?"),
            ("FinOps (Tom)", "Self-hosted runners or GitHub's larger hosted runners: what can we spend?"),
        ],
        scores={"business_value": 13, "time_criticality": 3, "risk_reduction": 8, "job_size": 20},
    ),
    item(
        "nomad", "Pilot HashiCorp Nomad for batch jobs", kind="spike", status="dropped", created="2026-03-23",
        updated="2026-05-04", labels=["kubernetes"],
        description="Dropped: Kubernetes Jobs and Karpenter cover the batch jobs; no second scheduler.",
    ),
    item(
        "istio", "Service mesh pilot (Istio)", kind="spike", moscow="wont", status="dropped", created="2026-04-13",
        updated="2026-09-28", labels=["kubernetes", "networking"],
        description="Dropped in September: nobody could name the problem it solves for us today.",
    ),
    item(
        "pgbouncer", "Services hit the Postgres connection limit during deploys", kind="bug", points=3,
        moscow="should", created="2026-10-20", updated="2026-11-05", labels=["database", "kubernetes"],
        description="During a rolling deploy old and new pods both hold their pools: 2 × 40 connections per "
                    "service. The orders database refuses connections above 500. Put PgBouncer in front.",
        criteria=["Given a rolling deploy of every orders service at once, when it runs, then no service logs "
                  "`too many connections`"],
        evidence=[("Incident 2026-10-19: checkout errors for 6 minutes during a deploy",
                   f"{WIKI}/incidents/2026-10-19-orders-connections")],
        scores={"business_value": 5, "time_criticality": 5, "risk_reduction": 8, "job_size": 3},
    ),
    item(
        "ecr-mirror", "Pull base images through ECR instead of Docker Hub (rate limits)", kind="chore", points=3,
        moscow="should", created="2026-09-07", labels=["ci", "kubernetes"],
        criteria=["Every Dockerfile and Helm chart pulls its base images through the ECR pull-through cache"],
        evidence=[("Docker Hub rate-limit errors: 140 failed CI jobs in October", f"{SLACK}/C02HELPPLAT")],
    ),
    item(
        "staging-data", "Refresh staging data from production every week, anonymised", kind="story", points=8,
        moscow="could", created="2026-07-29", labels=["database", "developer-experience"],
        questions=[("Security (Nadia)", "Which columns count as personal data beyond the obvious ones?")],
    ),
    item(
        "auto-rollback", "Roll back a deploy automatically when its error rate rises", kind="feature", points=13,
        moscow="could", created="2026-08-19", labels=["ci", "observability"],
        scores={"business_value": 8, "time_criticality": 2, "risk_reduction": 8, "job_size": 13},
    ),
    item("helm-library", "One Helm library chart for every service", kind="story", points=8, created="2026-06-08",
         labels=["kubernetes", "developer-experience"]),
    item("incident-process", "Write down the incident process", kind="chore", points=2, created="2026-10-21",
         labels=["on-call"], description="After the October incidents: who leads, where we talk, when we "
                                         "write the review."),
    item("cert-manager", "Renew internal certificates automatically with cert-manager", kind="story", points=5,
         created="2026-11-23 14:02", labels=["security", "certificates"]),
    item("rds-rightsizing", "Rightsize the RDS instances (most run under 20% CPU)", kind="chore", points=5,
         created="2026-08-24", labels=["cost", "database"]),
    item("renovate", "Replace Dependabot with Renovate", kind="chore", points=3, created="2026-07-13",
         labels=["developer-experience"]),
    # ----- the tail ---------------------------------------------------------------------------
    item("observability", "Improve observability", created="2026-03-16", labels=["observability"]),
    item("onboarding", "Make onboarding better for new engineers", created="2026-04-20",
         description="A new engineer needed eight days to deploy their first change (Maya)."),
    item("backstage", "Look at Backstage for a service catalogue", kind="spike", created="2026-05-18",
         labels=["developer-experience"]),
    item("chatops", "Deploy from Slack", kind="feature", created="2026-06-15"),
    item("cost-per-team", "Kubernetes cost per team dashboard", created="2026-07-20", labels=["cost"]),
    item("spot-ci", "Spot instances for CI runners", created="2026-08-03", labels=["ci", "cost"]),
    item("gpu-nodes", "GPU nodes for the data team", kind="feature", created="2026-09-21",
         questions=[("Data team (Oskar)", "Which models do you want to run, and how often?")]),
    item("iam-cleanup", "Remove unused IAM roles", kind="chore", created="2026-05-25", labels=["security"]),
    item("docs", "Better docs", created="2026-04-06"),
    item("chaos", "Chaos testing in staging", kind="spike", created="2026-06-29"),
    item("multi-region", "Active-active in two regions?", kind="epic", created="2026-03-02"),
    item("tilt", "Local development with Tilt", kind="spike", created="2026-10-05",
         labels=["developer-experience"]),
    item("ipv6", "IPv6 for the public load balancers", created="2026-09-07", labels=["networking"]),
    item("grafana-12", "Upgrade Grafana to 12", kind="chore", created="2026-09-30", labels=["observability"]),
    item("s3-cleanup", "Delete S3 buckets nobody uses", kind="chore", created="2026-08-12", labels=["cost"]),
    item("sboms", "SBOMs for every container image", created="2026-10-28", labels=["security"]),
    item("windows-agents", "Windows build agents?", created="2026-05-04", labels=["ci"]),
    item("secrets-rotation", "Rotate database passwords automatically", created="2026-10-26",
         labels=["security", "database"]),
    # ----- done in Iteration 15 -------------------------------------------------------------
    item(
        "arm-runners", "arm64 CI runners", kind="story", points=5, moscow="should", status="done",
        created="2026-09-29", updated="2026-11-12", labels=["ci", "cost"],
        criteria=["[x] Teams can choose arm64 runners with one label", "[x] Multi-arch images build on CI"],
    ),
    item(
        "karpenter-bug", "Karpenter drains nodes during business hours", kind="bug", points=3, moscow="must",
        status="done", created="2026-11-03", updated="2026-11-06", labels=["kubernetes"],
        criteria=["[x] Given a weekday between 08:00 and 18:00, when a node expires, then it is not drained "
                  "until the evening"],
    ),
    item(
        "vpn-offboarding", "Remove leavers' VPN access within an hour", kind="chore", points=2, moscow="must",
        status="done", created="2026-10-28", updated="2026-11-18", labels=["security"],
        criteria=["[x] Given an engineer removed from Okta, when an hour has passed, then their VPN sessions are "
                  "ended"],
    ),
]

SAMPLE = Sample(
    file="platform",
    name="Platform",
    prefix="PLAT",
    items=tuple(ITEMS),
    sprints=(
        sprint("Iteration 7", "2026-05-18", "2026-06-05", committed=24, completed=18),
        sprint("Iteration 8", "2026-06-08", "2026-06-26", committed=22, completed=20),
        sprint("Iteration 9", "2026-06-29", "2026-07-17", committed=24, completed=11),
        sprint("Iteration 10", "2026-07-20", "2026-08-07", committed=20, completed=15),
        sprint("Iteration 11", "2026-08-10", "2026-08-28", committed=20, completed=19, available_days=51),
        sprint("Iteration 12", "2026-08-31", "2026-09-18", committed=22, completed=13, available_days=45),
        sprint("Iteration 13", "2026-09-21", "2026-10-09", committed=21, completed=21, available_days=56),
        sprint("Iteration 14", "2026-10-12", "2026-10-30", committed=22, completed=14, available_days=47),
        sprint("Iteration 15", "2026-11-02", "2026-11-20", committed=20, completed=18, available_days=54),
    ),
    team=(
        member("Rafael Costa", 15),
        member("Hana Novak", 12),
        member("Tobias Berg", 15),
        member("Yusuf Demir", 8),
    ),
    settings={"sprint_length_days": 15, "capacity_basis": "focus", "score_model": "wsjf"},
    deleted=(5, 11, 19, 26, 27),
)
