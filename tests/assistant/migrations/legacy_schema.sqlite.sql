-- The schema made by the code before the assistant/ package (commit bb3ee8e): Alembic 0001 plus the
-- API's create_all tables, as SQLite's sqlite_master holds it.

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE dossiers (
	id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	procedure_code VARCHAR(32) NOT NULL, 
	procedure_name TEXT NOT NULL, 
	agency TEXT NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	status INTEGER NOT NULL, 
	received_at DATETIME NOT NULL, 
	due_at DATETIME, 
	finished_at DATETIME, 
	applicant_masked VARCHAR(128) NOT NULL, 
	phone_last4_salt VARCHAR(64) NOT NULL, 
	phone_last4_hash VARCHAR(128) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_dossiers_status CHECK (status BETWEEN 1 AND 10)
);

CREATE UNIQUE INDEX ix_dossiers_code ON dossiers (code);

CREATE TABLE dossier_status_history (
	id INTEGER NOT NULL, 
	dossier_id INTEGER NOT NULL, 
	status INTEGER NOT NULL, 
	changed_at DATETIME NOT NULL, 
	note TEXT DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(dossier_id) REFERENCES dossiers (id) ON DELETE CASCADE
);

CREATE INDEX ix_dossier_status_history_dossier_id ON dossier_status_history (dossier_id);

CREATE TABLE feedback_counters (
	day VARCHAR(8) NOT NULL, 
	last_value INTEGER NOT NULL, 
	PRIMARY KEY (day)
);

CREATE TABLE feedback (
	id INTEGER NOT NULL, 
	tracking_number VARCHAR(32) NOT NULL, 
	category VARCHAR(32) NOT NULL, 
	content TEXT NOT NULL, 
	contact TEXT, 
	consent BOOLEAN NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	sender_id VARCHAR(128) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_feedback_tracking_number ON feedback (tracking_number);

CREATE TABLE ratings (
	id INTEGER NOT NULL, 
	conversation_id VARCHAR(128) NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	score INTEGER NOT NULL, 
	comment TEXT DEFAULT '' NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_ratings_score CHECK (score BETWEEN 1 AND 5)
);

CREATE INDEX ix_ratings_conversation_id ON ratings (conversation_id);

CREATE TABLE handoff_requests (
	id INTEGER NOT NULL, 
	conversation_id VARCHAR(128) NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	sender_id VARCHAR(128) NOT NULL, 
	reason TEXT NOT NULL, 
	last_message TEXT DEFAULT '' NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	operator VARCHAR(128), 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_handoff_requests_conversation_id ON handoff_requests (conversation_id);

CREATE INDEX ix_handoff_requests_state ON handoff_requests (state);

CREATE TABLE api_operators (
	name VARCHAR(64) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	password_hash VARCHAR(256) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (name)
);

CREATE TABLE api_conversations (
	sender_id VARCHAR(128) NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	taken_by VARCHAR(64), 
	needs_human BOOLEAN NOT NULL, 
	last_message_at DATETIME NOT NULL, 
	PRIMARY KEY (sender_id)
);

CREATE INDEX ix_api_conversations_last_message_at ON api_conversations (last_message_at);

CREATE TABLE api_transcript (
	id INTEGER NOT NULL, 
	sender_id VARCHAR(128) NOT NULL, 
	author VARCHAR(16) NOT NULL, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_api_transcript_sender_id ON api_transcript (sender_id);

CREATE TABLE api_outbox (
	id INTEGER NOT NULL, 
	sender_id VARCHAR(128) NOT NULL, 
	text TEXT NOT NULL, 
	author VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_api_outbox_sender_id ON api_outbox (sender_id);

CREATE TABLE api_chat_events (
	id INTEGER NOT NULL, 
	sender_id VARCHAR(128) NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	text TEXT NOT NULL, 
	intent VARCHAR(64), 
	confidence FLOAT, 
	procedure_code VARCHAR(32), 
	procedure_name TEXT, 
	fallback BOOLEAN NOT NULL, 
	degraded BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_api_chat_events_created_at ON api_chat_events (created_at);

CREATE INDEX ix_api_chat_events_sender_id ON api_chat_events (sender_id);

INSERT INTO alembic_version (version_num) VALUES ('0001');
