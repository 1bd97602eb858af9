-- Inspections, the inspector's one tap for damage (issue 22): besides a complaint, a
-- result's findings can go to 后勤 as a repair request (a complaint in the logistics
-- category, so it follows the complaint's whole workflow and deadlines).
alter table inspection_report drop constraint inspection_report_kind;
alter table inspection_report
    add constraint inspection_report_kind check (kind in ('complaint', 'repair'));
