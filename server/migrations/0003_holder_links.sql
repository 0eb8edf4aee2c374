-- domain::ops::records::Link::Holder (link_kind 5): the person who holds a record (owns the
-- customer, lead or follow-up; works the job), so that a leaver's open work is found when
-- they are deactivated. New writes keep it; this fills it in for the records stored before.
-- Record kinds (store::keys::kind_tag): 5 customer, 7 job, 8 lead, 10 follow-up.
WITH bodies AS (
    SELECT kind, id, convert_from(body, 'UTF8')::jsonb AS b
    FROM records
    WHERE kind IN (5, 7, 8, 10)
), holders AS (
    SELECT kind, id, b #>> '{Customer,owner}' AS holder FROM bodies WHERE kind = 5
    UNION ALL
    SELECT kind, id, b #>> '{Lead,owner}' FROM bodies WHERE kind = 8
    UNION ALL
    SELECT kind, id, b #>> '{FollowUp,owner}' FROM bodies WHERE kind = 10
    UNION ALL
    SELECT kind, id, b #>> '{Job,technician}' FROM bodies WHERE kind = 7
    UNION ALL
    SELECT kind, id, c
    FROM bodies, jsonb_array_elements_text(COALESCE(b #> '{Job,crew}', '[]'::jsonb)) AS c
    WHERE kind = 7
)
INSERT INTO links (link_kind, link_id, kind, id)
SELECT 5, holder::uuid, kind, id FROM holders WHERE holder IS NOT NULL
ON CONFLICT DO NOTHING;
