-- The public ranking pages keep what changes only at importing buildings, publishing a round or
-- re-ranking after an appeal (inspections::published): announced like the other reference data
-- (0051), so every process forgets its copy at once, whoever wrote the change.
create trigger reference_changed after insert or update or delete or truncate on dorm_building
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on inspection_round
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on inspection_group_standing
    for each statement execute function notify_reference_change();
