-- wsmock recording database, schema version 3. See schema/README.md.
--
-- Embedded into the wsmock binary at build time (wsmock::store::kSchemaSql)
-- and run in one transaction when wsmock creates a new file. Run by hand
-- (`sqlite3 new.db < schema/wsmock.sql`) it makes a file wsmock accepts.
-- Times named *_us are microseconds since the Unix epoch (UTC), or since
-- another instant where the column says so.

-- 0x77736D6B, 'wsmk': tells a wsmock file from any other SQLite file.
PRAGMA application_id = 2004053355;
-- The schema version; wsmock refuses files newer than it understands.
PRAGMA user_version = 3;

-- One run of wsmock that wrote to this file (serve, record, proxy or import).
CREATE TABLE sessions (
  id             INTEGER PRIMARY KEY,  -- 1, 2, ... in the order sessions started
  started_at_us  INTEGER NOT NULL,
  started_at     TEXT NOT NULL,        -- started_at_us as ISO 8601 UTC, for people using sqlite3
  mode           TEXT NOT NULL CHECK (mode IN ('serve', 'record', 'proxy', 'import')),
  wsmock_version TEXT NOT NULL,        -- version of the wsmock that wrote the session
  options_json   TEXT NOT NULL,        -- JSON object of the options that shape the data:
                                       -- seed, stations, clock, tick, fixture, upstream...
  upstream       TEXT,                 -- URL proxied to; NULL when there was none
  ended_at_us    INTEGER               -- NULL while running, or when wsmock was killed
);

-- One WebSocket client connection within a session.
CREATE TABLE connections (
  session_id     INTEGER NOT NULL REFERENCES sessions (id) DEFERRABLE INITIALLY DEFERRED,
  id             INTEGER NOT NULL,     -- per session from 1, in the order connections opened
  opened_at_us   INTEGER NOT NULL,
  closed_at_us   INTEGER,              -- NULL while open, or when wsmock was killed
  peer           TEXT NOT NULL,        -- client IP address, "127.0.0.1" (no port)
  path           TEXT NOT NULL,        -- request path of the upgrade, "/ws"
  close_code     INTEGER,              -- WebSocket close code; NULL when none was seen
  PRIMARY KEY (session_id, id)
);

-- Every frame that crossed a connection, in either direction.
CREATE TABLE messages (
  session_id     INTEGER NOT NULL,
  connection_id  INTEGER NOT NULL,
  seq            INTEGER NOT NULL,     -- per connection from 1, both directions in one order
  offset_us      INTEGER NOT NULL,     -- since the connection opened
  direction      TEXT NOT NULL CHECK (direction IN ('in', 'out')),  -- in: from the client
  kind           TEXT NOT NULL CHECK (kind IN ('request', 'response', 'error', 'update', 'other')),
  action         TEXT,                 -- the message's "action"; NULL when it has none
  request_id     TEXT,                 -- JSON text of "requestId" ("\"req_1\"" or "17"), so
                                       -- its type survives; NULL when it has none
  payload        BLOB NOT NULL,        -- the frame's exact bytes
  is_binary      INTEGER NOT NULL DEFAULT 0 CHECK (is_binary IN (0, 1)),  -- 1: a binary frame
  PRIMARY KEY (session_id, connection_id, seq),
  FOREIGN KEY (session_id, connection_id) REFERENCES connections (session_id, id)
    DEFERRABLE INITIALLY DEFERRED
);

-- Messages just recorded, packed many to a row (the format is in
-- schema/README.md). Recording appends here, which costs the server little,
-- and wsmock moves the rows into `messages` while the load is light, when it
-- pauses, and when wsmock stops. wsmock reads a session's messages from both
-- tables. Empty after a clean stop; after a kill -9 it may hold the last
-- messages until wsmock next opens the file for writing. Added in version 2;
-- since version 3 a packed payload may be a delta of an earlier one in its row.
CREATE TABLE message_journal (
  id             INTEGER PRIMARY KEY,  -- in the order written
  session_id     INTEGER NOT NULL REFERENCES sessions (id) DEFERRABLE INITIALLY DEFERRED,
  message_count  INTEGER NOT NULL,     -- messages packed into this row
  packed         BLOB NOT NULL
);

-- One tick of the station simulation within a session.
CREATE TABLE snapshots (
  session_id     INTEGER NOT NULL REFERENCES sessions (id) DEFERRABLE INITIALLY DEFERRED,
  tick_index     INTEGER NOT NULL,     -- 0 for the initial state, then 1, 2, ...
  taken_at_us    INTEGER NOT NULL,
  PRIMARY KEY (session_id, tick_index)
);

-- Station states: tick 0 holds every station, a later tick only the stations
-- that changed at that tick, so the state at tick N is tick 0 overlaid with
-- the rows of ticks 1..N, the latest row per station winning.
CREATE TABLE snapshot_stations (
  session_id     INTEGER NOT NULL,
  tick_index     INTEGER NOT NULL,
  station_id     TEXT NOT NULL,
  station_json   TEXT NOT NULL,        -- the full station object as JSON
  PRIMARY KEY (session_id, tick_index, station_id),
  FOREIGN KEY (session_id, tick_index) REFERENCES snapshots (session_id, tick_index)
    DEFERRABLE INITIALLY DEFERRED
);
