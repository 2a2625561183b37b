# One image for every process of the assistant: Rasa, the action server, the agent desk and the demo order system
# (the command differs: see compose.yaml and deploy/k8s). Build: docker build -t shop-assistant .
# The trained model is baked in (models/current.tar.gz, from `make train`) or mounted over /app/models.

# ---- build: the pinned environment in a virtualenv ---------------------------------------------------------------
FROM python:3.10.16-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential=12.9 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt ./
COPY bot ./bot
COPY actions ./actions
COPY connectors ./connectors
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install "pip==24.0" \
 && /opt/venv/bin/pip install -c constraints.txt .

# ---- runtime: no compiler, no root ------------------------------------------------------------------------------
FROM python:3.10.16-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 \
    LOG_MODE=production BIND_HOST=0.0.0.0 RUN_DIR=/app/run MODEL=/app/models/current.tar.gz \
    PROMETHEUS_MULTIPROC_DIR=/tmp/metrics HOME=/app
RUN groupadd --system --gid 10001 bot && useradd --system --uid 10001 --gid bot --home-dir /app bot
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=bot:bot config.yml domain.yml endpoints.yml credentials.yml business.yml canned_answers.yml ./
COPY --chown=bot:bot data ./data
COPY --chown=bot:bot bot ./bot
COPY --chown=bot:bot actions ./actions
COPY --chown=bot:bot connectors ./connectors
COPY --chown=bot:bot rasa_sdk_plugins ./rasa_sdk_plugins
COPY --chown=bot:bot deploy/logging.yml ./deploy/logging.yml
COPY --chown=bot:bot models/current.tar.gz ./models/current.tar.gz
RUN mkdir -p /app/run /tmp/metrics && chown bot:bot /app/run /tmp/metrics
USER 10001:10001
EXPOSE 5005 5055 8080 8090 9102
# Rasa by default; compose.yaml and the Kubernetes Deployments give the others their command.
# (through sh: Rasa takes its API token only as an argument, and the token comes from the environment)
CMD ["sh", "-c", "exec rasa run --model \"$MODEL\" --endpoints endpoints.yml --credentials credentials.yml --enable-api --port 5005 --auth-token \"$RASA_AUTH_TOKEN\" --logging-config-file deploy/logging.yml"]
