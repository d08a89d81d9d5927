-- The co-production self-assessment of a live record: one answer per question, each with
-- its note (the evidence, the reason, or the action being taken).
CREATE TABLE case_study_self_assessments (
    case_study_id uuid NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    question      text NOT NULL,
    answer        text NOT NULL,
    note          text NOT NULL,
    PRIMARY KEY (case_study_id, question),
    CONSTRAINT case_study_self_assessments_question_check CHECK (question IN (
        'partners-involved', 'involved-to-satisfaction', 'support-to-take-part', 'stuck-to-plan',
        'do-differently', 'improve-process', 'said-but-did-not', 'methods-did-not-work',
        'better-methods', 'worked-well-together', 'unexpected-hurdles', 'information-shared',
        'stakeholders-late', 'skills-improved', 'support-not-provided', 'feedback-appropriate',
        'aim-achieved', 'unanticipated-outcomes')),
    CONSTRAINT case_study_self_assessments_answer_check CHECK (answer IN ('yes', 'not-sure', 'no')),
    CONSTRAINT case_study_self_assessments_note_length CHECK (length(note) BETWEEN 1 AND 2000)
);

-- Mirrors tell a first publication from a new revision going live.
ALTER TABLE change_log DROP CONSTRAINT change_log_kind_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_kind_check
    CHECK (kind IN ('created', 'changed', 'published', 'updated', 'withdrawn'));
