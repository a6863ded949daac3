-- Staff-typed words in another language or in Easy Read, per item (an opportunity, a meeting, a
-- proposal, a "we did"): `fields` is a JSON object of field name to text, in `language`. A field
-- left out reads as the original's words; the original's own language has a row with no fields.
-- Written by staff for everyone: no one's personal data.
CREATE TABLE text_versions (
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    language TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (item_kind, item_id, language)
);
