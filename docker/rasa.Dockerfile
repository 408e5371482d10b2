# Rasa 3.6.21 with the Vietnamese tokenizer (underthesea) and the trained model baked in.
FROM rasa/rasa:3.6.21

USER root
RUN pip install --no-cache-dir underthesea==9.5.0
WORKDIR /app
ENV PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false
COPY bot/ bot/
COPY nlu_data/ nlu_data/
COPY vntext/ vntext/
COPY search_index/__init__.py search_index/__init__.py
COPY search_index/data/ search_index/data/
COPY scripts/train_rasa.sh scripts/train_rasa.sh
RUN bash scripts/train_rasa.sh rasa var/models/rasa/assistant.tar.gz \
 && chown -R 1001 /app
USER 1001
