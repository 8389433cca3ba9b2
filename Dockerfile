FROM python:3.11-slim-bookworm

# WeasyPrint renders PDFs with Pango; fonts-dejavu gives it a full set of glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The exact versions and hashes of requirements.lock (`make lock` writes it), then the project.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# Static files are part of the image: collected once here, not on every start.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3
RUN useradd --system --home /app sms && mkdir -p /app/media && chown -R sms /app
USER sms
EXPOSE 8000
# Migrations run once, in compose's "migrate" job; the web replicas only serve.
CMD ["gunicorn", "sms_tool.wsgi", "-c", "gunicorn.conf.py"]
