FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY . .
RUN pip install --no-cache-dir -c requirements.lock . \
    && SECRET_KEY=build ALLOWED_HOSTS=build DJANGO_SETTINGS_MODULE=config.settings.production \
       python manage.py collectstatic --noinput
RUN mkdir -p /app/var && chown nobody /app/var
USER nobody
EXPOSE 8000
