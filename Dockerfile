FROM python:3.11-slim-bookworm

# WeasyPrint renders PDFs with Pango; fonts-dejavu gives it a full set of glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_CONSTRAINT=/app/constraints.txt \
    PIP_BUILD_CONSTRAINT=/app/constraints.txt
WORKDIR /app
COPY pyproject.toml constraints.txt ./
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --system --home /app sms && mkdir -p /app/media && chown -R sms /app
USER sms
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py createcachetable && python manage.py collectstatic --noinput && gunicorn sms_tool.wsgi --bind 0.0.0.0:8000 --workers 3 --access-logfile -"]
