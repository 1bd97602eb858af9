-- A questionnaire's public results are counted once, when it is published (it is closed then:
-- no answer comes after), so its public page reads one row instead of every answer.
-- {"total": answers, "counts": [{"k": question id, "v": an answer, "n": how many}, …]},
-- free-text questions left out (never public). Reopening a published questionnaire (a later
-- closing time) takes the publication back; publishing again counts again.

alter table survey add column published_tally jsonb;

create function survey_published_tally(p_survey_id bigint) returns jsonb
language sql stable as $$
    with answers as (
        select answers from survey_response where survey_id = p_survey_id
        union all
        select answers from survey_pending_response where survey_id = p_survey_id
    ),
    counted as (
        select e.key as k, e.value as v, count(*) as n
        from answers a, jsonb_each(a.answers) e
        where e.key in (select question_id::text from survey_question
                        where survey_id = p_survey_id and kind not in ('short_text', 'long_text'))
        group by e.key, e.value
    )
    select jsonb_build_object(
        'total', (select count(*) from answers),
        'counts', coalesce((select jsonb_agg(jsonb_build_object('k', k, 'v', v, 'n', n)) from counted), '[]'::jsonb))
$$;

update survey set published_tally = survey_published_tally(survey_id) where published_at is not null;
