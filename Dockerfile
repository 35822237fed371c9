FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NGHEDAN_CONFIG=/app/config/example.yaml \
    NGHEDAN_LOCALES=/app/locales \
    WEB_HOST=0.0.0.0

WORKDIR /app
RUN useradd --create-home --uid 10001 nghedan
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales
COPY config ./config
RUN pip install --no-cache-dir . && mkdir -p /app/var && chown nghedan /app/var

USER nghedan
EXPOSE 8080
# WEB_HOST is 0.0.0.0 inside the container, so WEB_PASSWORD must be set for the web chat.
CMD ["nghedan", "run"]
