# The bot as a container, for a council's IT to run behind its own HTTPS reverse proxy.
# compose.yaml runs it in webhook mode beside PostgreSQL; settings come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 coproduction
WORKDIR /app
# The dependencies first, in their own layer, so a change to the code alone rebuilds in seconds.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt
COPY . .
# Catalogs are compiled here, as root, so the running bot never needs to write beside its code.
RUN pip install . \
    && python -c "from bot.i18n import compile_catalogs; compile_catalogs()" \
    && mkdir -p /app/data && chown coproduction:coproduction /app/data

USER coproduction
# Inside a container the proxy reaches the bot from outside: listen on every interface.
ENV WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8443
EXPOSE 8443
# SQLite's file when DATABASE_URL is not set.
VOLUME ["/app/data"]
# Asks GET /health in webhook mode; with long polling there is no server to ask, so it passes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "-m", "bot.healthcheck"]
CMD ["python", "-m", "bot"]
