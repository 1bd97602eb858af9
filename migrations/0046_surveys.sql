-- Questionnaires (问卷): a department's questionnaire, its questions, and the answers,
-- stored so that an anonymous questionnaire keeps who answered apart from what was answered.

create table survey (
    survey_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    -- Versions of one questionnaire share a series (the first version's id); a student answers
    -- a series once, whichever version was open.
    series_id bigint not null,
    version int not null default 1,
    title text not null,
    intro text not null default '',
    opens_at timestamptz not null,
    closes_at timestamptz not null,
    -- students: verified students, narrowed by colleges and grades (empty = all);
    -- the people of something: an event's attendees, a reception day's seats, a building's
    -- residents (audience_ref names it); everyone: anyone with the link (open mode only).
    audience text not null,
    colleges text[] not null default '{}',
    grades int[] not null default '{}',
    audience_ref bigint,
    identity text not null,
    -- Open mode: one answer per single-use code rather than an open link.
    with_codes boolean not null default false,
    published_at timestamptz,
    -- Set on the older version when a new version is made; it no longer takes answers.
    superseded_at timestamptz,
    created_at timestamptz not null default now(),
    constraint survey_window check (closes_at > opens_at),
    constraint survey_audience check (audience in
        ('everyone', 'students', 'event_attendees', 'reception_participants', 'building_residents')),
    constraint survey_audience_ref check ((audience_ref is not null) = (audience in
        ('event_attendees', 'reception_participants', 'building_residents'))),
    constraint survey_identity check (identity in ('named', 'anonymous_once', 'open')),
    -- Anyone-with-the-link is open mode's alone; named and anonymous need an account.
    constraint survey_open_is_everyone check ((identity = 'open') = (audience = 'everyone')),
    constraint survey_codes_are_open check (not with_codes or identity = 'open'),
    constraint survey_version_key unique (series_id, version),
    constraint survey_title_length check (char_length(title) between 1 and 100)
);
create index survey_department_idx on survey (department_id, survey_id desc);
create index survey_open_idx on survey (closes_at) where superseded_at is null;

create table survey_question (
    question_id bigint generated always as identity primary key,
    survey_id bigint not null references survey on delete cascade,
    position int not null,
    -- Questions with the same section title in a row are shown together under it.
    section text not null default '',
    kind text not null,
    prompt text not null,
    required boolean not null default false,
    -- Choices (single, multiple, ranking) or the columns of a matrix.
    options text[] not null default '{}',
    -- The rows of a matrix.
    matrix_rows text[] not null default '{}',
    max_choices int,
    scale_max int,
    -- Shown only when an earlier question's answer is (or includes) option show_if_option.
    show_if_question bigint references survey_question on delete cascade,
    show_if_option int,
    constraint survey_question_kind check (kind in
        ('single', 'multiple', 'short_text', 'long_text', 'scale', 'number', 'date', 'ranking', 'matrix')),
    constraint survey_question_scale check ((kind = 'scale' and scale_max in (5, 10)) or (kind <> 'scale' and scale_max is null)),
    constraint survey_question_condition check ((show_if_question is null) = (show_if_option is null)),
    constraint survey_question_position_key unique (survey_id, position)
);

-- Single-use codes of an open questionnaire, printed as QR codes for paper.
create table survey_code (
    code text primary key,
    survey_id bigint not null references survey on delete cascade,
    used boolean not null default false
);
create index survey_code_survey_idx on survey_code (survey_id);

-- WHO answered (named and anonymous_once): to refuse a second answer. Nothing here says
-- what was answered, or when.
create table survey_respondent (
    series_id bigint not null,
    user_id bigint not null references app_user,
    primary key (series_id, user_id)
);

-- WHAT was answered: no user, a random id, the day only, nothing from the request.
-- college and grade are copied for the results' filters, whose groups under five
-- are hidden in anonymous mode.
create table survey_response (
    response_id uuid primary key default gen_random_uuid(),
    survey_id bigint not null references survey on delete cascade,
    answered_on date not null,
    college text not null default '',
    grade int,
    answers jsonb not null
);
create index survey_response_survey_idx on survey_response (survey_id);

-- Anonymous answers wait here, written in the same transaction as their respondent row,
-- until five have gathered; then all of them move to survey_response in one transaction,
-- sorted by their content, so neither the answers' transaction ids nor their physical order
-- say who came when (see src/surveys/anonymity.rs).
create table survey_pending_response (
    response_id uuid primary key default gen_random_uuid(),
    survey_id bigint not null references survey on delete cascade,
    answered_on date not null,
    college text not null default '',
    grade int,
    answers jsonb not null
);
create index survey_pending_response_survey_idx on survey_pending_response (survey_id);

-- Named mode only: whose response it is.
create table survey_response_author (
    response_id uuid primary key references survey_response on delete cascade,
    user_id bigint not null references app_user,
    submitted_at timestamptz not null default now()
);
