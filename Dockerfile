# The worker image for docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY agents agents
COPY streams streams
COPY ops ops
COPY schemas schemas
COPY models models
RUN pip install --no-cache-dir .
ENV MODSTREAM_SCHEMA_DIR=/app/schemas
CMD ["modstream", "worker"]
