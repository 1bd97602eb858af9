-- The collection points and the latest bulletin's number are kept by every process like the
-- other reference data (app::Cached: the lost-and-found list and a bulletin's page read them
-- on every request, and they change a few times a term). 0051's trigger announces each change
-- on `portal_reference`, whoever writes it, so every process forgets its copy at once.
create trigger reference_changed after insert or update or delete or truncate on collection_point
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on bulletin
    for each statement execute function notify_reference_change();
