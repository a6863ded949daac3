-- Whether a person's words may be quoted in "You said, we did"; `anonymous` still says whether
-- their name may go with them. People used to be asked only whether their name could be shown
-- "if we share what people said": those who said yes agreed to be quoted with their name, and
-- those who asked to stay anonymous are no longer quoted, as the README always promised.
ALTER TABLE feedback ADD COLUMN may_quote INTEGER NOT NULL DEFAULT 0;
UPDATE feedback SET may_quote = 1 WHERE anonymous = 0;
