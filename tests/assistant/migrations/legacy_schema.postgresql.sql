-- The schema made by the code before the assistant/ package (commit bb3ee8e): Alembic 0001 plus the
-- API's create_all tables, as pg_dump --schema-only printed it (settings and psql commands removed).

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);

CREATE TABLE public.api_chat_events (
    id integer NOT NULL,
    sender_id character varying(128) NOT NULL,
    channel character varying(16) NOT NULL,
    text text NOT NULL,
    intent character varying(64),
    confidence double precision,
    procedure_code character varying(32),
    procedure_name text,
    fallback boolean NOT NULL,
    degraded boolean NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.api_chat_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.api_chat_events_id_seq OWNED BY public.api_chat_events.id;

CREATE TABLE public.api_conversations (
    sender_id character varying(128) NOT NULL,
    channel character varying(16) NOT NULL,
    taken_by character varying(64),
    needs_human boolean NOT NULL,
    last_message_at timestamp with time zone NOT NULL
);

CREATE TABLE public.api_operators (
    name character varying(64) NOT NULL,
    role character varying(16) NOT NULL,
    password_hash character varying(256) NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE public.api_outbox (
    id integer NOT NULL,
    sender_id character varying(128) NOT NULL,
    text text NOT NULL,
    author character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.api_outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.api_outbox_id_seq OWNED BY public.api_outbox.id;

CREATE TABLE public.api_transcript (
    id integer NOT NULL,
    sender_id character varying(128) NOT NULL,
    author character varying(16) NOT NULL,
    text text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.api_transcript_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.api_transcript_id_seq OWNED BY public.api_transcript.id;

CREATE TABLE public.dossier_status_history (
    id integer NOT NULL,
    dossier_id integer NOT NULL,
    status integer NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    note text DEFAULT ''::text NOT NULL
);

CREATE SEQUENCE public.dossier_status_history_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.dossier_status_history_id_seq OWNED BY public.dossier_status_history.id;

CREATE TABLE public.dossiers (
    id integer NOT NULL,
    code character varying(64) NOT NULL,
    procedure_code character varying(32) NOT NULL,
    procedure_name text NOT NULL,
    agency text NOT NULL,
    channel character varying(32) NOT NULL,
    status integer NOT NULL,
    received_at timestamp with time zone NOT NULL,
    due_at timestamp with time zone,
    finished_at timestamp with time zone,
    applicant_masked character varying(128) NOT NULL,
    phone_last4_salt character varying(64) NOT NULL,
    phone_last4_hash character varying(128) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_dossiers_status CHECK (((status >= 1) AND (status <= 10)))
);

CREATE SEQUENCE public.dossiers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.dossiers_id_seq OWNED BY public.dossiers.id;

CREATE TABLE public.feedback (
    id integer NOT NULL,
    tracking_number character varying(32) NOT NULL,
    category character varying(32) NOT NULL,
    content text NOT NULL,
    contact text,
    consent boolean NOT NULL,
    channel character varying(32) NOT NULL,
    sender_id character varying(128) NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE public.feedback_counters (
    day character varying(8) NOT NULL,
    last_value integer NOT NULL
);

CREATE SEQUENCE public.feedback_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.feedback_id_seq OWNED BY public.feedback.id;

CREATE TABLE public.handoff_requests (
    id integer NOT NULL,
    conversation_id character varying(128) NOT NULL,
    channel character varying(32) NOT NULL,
    sender_id character varying(128) NOT NULL,
    reason text NOT NULL,
    last_message text DEFAULT ''::text NOT NULL,
    state character varying(16) NOT NULL,
    operator character varying(128),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.handoff_requests_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.handoff_requests_id_seq OWNED BY public.handoff_requests.id;

CREATE TABLE public.ratings (
    id integer NOT NULL,
    conversation_id character varying(128) NOT NULL,
    channel character varying(32) NOT NULL,
    score integer NOT NULL,
    comment text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_ratings_score CHECK (((score >= 1) AND (score <= 5)))
);

CREATE SEQUENCE public.ratings_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.ratings_id_seq OWNED BY public.ratings.id;

ALTER TABLE ONLY public.api_chat_events ALTER COLUMN id SET DEFAULT nextval('public.api_chat_events_id_seq'::regclass);

ALTER TABLE ONLY public.api_outbox ALTER COLUMN id SET DEFAULT nextval('public.api_outbox_id_seq'::regclass);

ALTER TABLE ONLY public.api_transcript ALTER COLUMN id SET DEFAULT nextval('public.api_transcript_id_seq'::regclass);

ALTER TABLE ONLY public.dossier_status_history ALTER COLUMN id SET DEFAULT nextval('public.dossier_status_history_id_seq'::regclass);

ALTER TABLE ONLY public.dossiers ALTER COLUMN id SET DEFAULT nextval('public.dossiers_id_seq'::regclass);

ALTER TABLE ONLY public.feedback ALTER COLUMN id SET DEFAULT nextval('public.feedback_id_seq'::regclass);

ALTER TABLE ONLY public.handoff_requests ALTER COLUMN id SET DEFAULT nextval('public.handoff_requests_id_seq'::regclass);

ALTER TABLE ONLY public.ratings ALTER COLUMN id SET DEFAULT nextval('public.ratings_id_seq'::regclass);

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);

ALTER TABLE ONLY public.api_chat_events
    ADD CONSTRAINT api_chat_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_conversations
    ADD CONSTRAINT api_conversations_pkey PRIMARY KEY (sender_id);

ALTER TABLE ONLY public.api_operators
    ADD CONSTRAINT api_operators_pkey PRIMARY KEY (name);

ALTER TABLE ONLY public.api_outbox
    ADD CONSTRAINT api_outbox_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_transcript
    ADD CONSTRAINT api_transcript_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.dossier_status_history
    ADD CONSTRAINT dossier_status_history_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.dossiers
    ADD CONSTRAINT dossiers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.feedback_counters
    ADD CONSTRAINT feedback_counters_pkey PRIMARY KEY (day);

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.handoff_requests
    ADD CONSTRAINT handoff_requests_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.ratings
    ADD CONSTRAINT ratings_pkey PRIMARY KEY (id);

CREATE INDEX ix_api_chat_events_created_at ON public.api_chat_events USING btree (created_at);

CREATE INDEX ix_api_chat_events_sender_id ON public.api_chat_events USING btree (sender_id);

CREATE INDEX ix_api_conversations_last_message_at ON public.api_conversations USING btree (last_message_at);

CREATE INDEX ix_api_outbox_sender_id ON public.api_outbox USING btree (sender_id);

CREATE INDEX ix_api_transcript_sender_id ON public.api_transcript USING btree (sender_id);

CREATE INDEX ix_dossier_status_history_dossier_id ON public.dossier_status_history USING btree (dossier_id);

CREATE UNIQUE INDEX ix_dossiers_code ON public.dossiers USING btree (code);

CREATE UNIQUE INDEX ix_feedback_tracking_number ON public.feedback USING btree (tracking_number);

CREATE INDEX ix_handoff_requests_conversation_id ON public.handoff_requests USING btree (conversation_id);

CREATE INDEX ix_handoff_requests_state ON public.handoff_requests USING btree (state);

CREATE INDEX ix_ratings_conversation_id ON public.ratings USING btree (conversation_id);

ALTER TABLE ONLY public.dossier_status_history
    ADD CONSTRAINT dossier_status_history_dossier_id_fkey FOREIGN KEY (dossier_id) REFERENCES public.dossiers(id) ON DELETE CASCADE;

INSERT INTO public.alembic_version VALUES ('0001');
