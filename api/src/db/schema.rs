//! The schema as diesel sees it. Written by hand to match both migration trees
//! (`migrations/sqlite`, `migrations/postgres`), which a test checks against each other.
//! Only types both backends share: BigInt, Integer, Text, Bool, Timestamp (UTC), Date.

diesel::table! {
    territories (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        level -> Text,
        kato_code -> Text,
        short_code -> Nullable<Text>,
        name_kk -> Nullable<Text>,
        name_ru -> Text,
        name_en -> Nullable<Text>,
        path -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    appeal_categories (code) {
        code -> Text,
        group_code -> Text,
        name_kk -> Text,
        name_ru -> Text,
        name_en -> Text,
        position -> Integer,
        active -> Bool,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Date,
        kind -> Text,
        name_kk -> Text,
        name_ru -> Text,
        name_en -> Text,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    deputies (id) {
        id -> BigInt,
        full_name -> Text,
        level -> Text,
        maslikhat_territory_id -> BigInt,
        territory_path -> Text,
        okrug -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        mandate_status -> Text,
        mandate_status_since -> Nullable<Date>,
        mandate_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        territory_id -> Nullable<BigInt>,
        deputy_id -> Nullable<BigInt>,
        active -> Bool,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        family_started_at -> Timestamp,
        replaced_by_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    auth_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        name -> Text,
        prefix -> Text,
        secret_hash -> Text,
        scopes -> Text,
        territory_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_label -> Text,
        entity -> Text,
        entity_id -> Text,
        action -> Text,
        changes -> Text,
        request_id -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        last_id -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    audit_pending (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_label -> Text,
        entity -> Text,
        entity_id -> Text,
        action -> Text,
        changes -> Text,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    reg_counters (region_code, year) {
        region_code -> Text,
        year -> Integer,
        last_value -> BigInt,
    }
}

diesel::table! {
    appeals (id) {
        id -> BigInt,
        reg_number -> Text,
        status -> Text,
        channel -> Text,
        category_code -> Text,
        territory_id -> BigInt,
        territory_path -> Text,
        reception_id -> Nullable<BigInt>,
        anonymous -> Bool,
        threat_report -> Bool,
        subject -> Text,
        description -> Text,
        language -> Text,
        search_text -> Text,
        received_at -> Timestamp,
        registered_on -> Date,
        due_on -> Date,
        extended_due_on -> Nullable<Date>,
        extension_reason -> Nullable<Text>,
        deputy_id -> Nullable<BigInt>,
        assigned_body -> Nullable<Text>,
        resolution -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        forwarded_to -> Nullable<Text>,
        forwarded_on -> Nullable<Date>,
        created_by_user_id -> Nullable<BigInt>,
        created_by_key_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    appeal_citizens (appeal_id) {
        appeal_id -> BigInt,
        full_name -> Nullable<Text>,
        iin -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        address -> Nullable<Text>,
    }
}

diesel::table! {
    history (id) {
        id -> BigInt,
        entity -> Text,
        entity_id -> BigInt,
        at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_label -> Text,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        comment -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    idempotency_keys (id) {
        id -> BigInt,
        caller -> Text,
        key -> Text,
        request_hash -> Text,
        status_code -> Integer,
        resource_kind -> Text,
        resource_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    receptions (id) {
        id -> BigInt,
        title -> Text,
        level -> Text,
        territory_id -> BigInt,
        territory_path -> Text,
        planned_start -> Timestamp,
        planned_end -> Timestamp,
        venue -> Nullable<Text>,
        status -> Text,
        residents_heard -> Nullable<BigInt>,
        report_summary -> Nullable<Text>,
        report_issues -> Nullable<Text>,
        created_by_user_id -> Nullable<BigInt>,
        created_by_key_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    reception_settlements (reception_id, territory_id) {
        reception_id -> BigInt,
        territory_id -> BigInt,
        territory_path -> Text,
    }
}

diesel::table! {
    reception_participants (id) {
        id -> BigInt,
        reception_id -> BigInt,
        deputy_id -> Nullable<BigInt>,
        full_name -> Text,
        position -> Nullable<Text>,
        role -> Text,
        planned_start -> Timestamp,
        planned_end -> Timestamp,
    }
}

diesel::table! {
    reception_batches (id) {
        id -> BigInt,
        reception_id -> BigInt,
        appeal_ids -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reception_topics (id) {
        id -> BigInt,
        reception_id -> BigInt,
        position -> BigInt,
        title -> Text,
        description -> Nullable<Text>,
    }
}

diesel::table! {
    reception_proposals (id) {
        id -> BigInt,
        reception_id -> BigInt,
        topic_id -> Nullable<BigInt>,
        text -> Text,
        author -> Nullable<Text>,
        outcome -> Text,
        outcome_note -> Nullable<Text>,
        appeal_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    roadmaps (id) {
        id -> BigInt,
        title_kk -> Text,
        title_ru -> Text,
        kind -> Text,
        territory_id -> BigInt,
        territory_path -> Text,
        year_from -> Integer,
        year_to -> Integer,
        programme_ref -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    roadmap_sections (id) {
        id -> BigInt,
        roadmap_id -> BigInt,
        position -> Integer,
        title -> Text,
        bureau_deputy_id -> Nullable<BigInt>,
        bureau_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    indicators (id) {
        id -> BigInt,
        roadmap_id -> BigInt,
        section_id -> BigInt,
        title -> Text,
        territory_id -> BigInt,
        territory_path -> Text,
        kind -> Text,
        unit -> Nullable<Text>,
        baseline -> Nullable<Double>,
        target -> Nullable<Double>,
        actual -> Nullable<Double>,
        due_on -> Date,
        council_member_deputy_id -> Nullable<BigInt>,
        council_member_user_id -> Nullable<BigInt>,
        deputy_id -> Nullable<BigInt>,
        weight -> Nullable<Double>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    indicator_progress (id) {
        id -> BigInt,
        indicator_id -> BigInt,
        on -> Date,
        done -> Nullable<Bool>,
        value -> Nullable<Double>,
        comment -> Nullable<Text>,
        evidence_urls -> Text,
        actor_label -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    deputy_party_roles (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        role -> Text,
        from_on -> Date,
        to_on -> Nullable<Date>,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        territory_id -> BigInt,
        territory_path -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    rating_snapshots (id) {
        id -> BigInt,
        deputy_id -> BigInt,
        period -> Text,
        score -> Double,
        components -> Text,
        computed_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    feedback_links (id) {
        id -> BigInt,
        appeal_id -> BigInt,
        deputy_id -> Nullable<BigInt>,
        territory_path -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        submitted_at -> Nullable<Timestamp>,
        score -> Nullable<Integer>,
        comment -> Nullable<Text>,
        created_by_user_id -> Nullable<BigInt>,
        created_by_key_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reserve_candidates (id) {
        id -> BigInt,
        full_name -> Text,
        territory_id -> BigInt,
        territory_path -> Text,
        iin -> Nullable<Text>,
        phone -> Nullable<Text>,
        position -> Nullable<Text>,
        note -> Nullable<Text>,
        status -> Text,
        status_since -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::joinable!(users -> territories (territory_id));
diesel::joinable!(users -> deputies (deputy_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_keys -> territories (territory_id));
diesel::joinable!(appeals -> territories (territory_id));
diesel::joinable!(appeals -> appeal_categories (category_code));
diesel::joinable!(appeals -> deputies (deputy_id));
diesel::joinable!(appeal_citizens -> appeals (appeal_id));
diesel::joinable!(receptions -> territories (territory_id));
diesel::joinable!(reception_settlements -> receptions (reception_id));
diesel::joinable!(reception_participants -> receptions (reception_id));
diesel::joinable!(reception_batches -> receptions (reception_id));
diesel::joinable!(reception_topics -> receptions (reception_id));
diesel::joinable!(reception_proposals -> receptions (reception_id));
diesel::joinable!(reception_proposals -> appeals (appeal_id));

diesel::joinable!(roadmaps -> territories (territory_id));
diesel::joinable!(roadmap_sections -> roadmaps (roadmap_id));
diesel::joinable!(indicators -> roadmaps (roadmap_id));
diesel::joinable!(indicators -> roadmap_sections (section_id));
diesel::joinable!(indicator_progress -> indicators (indicator_id));

diesel::joinable!(deputy_party_roles -> deputies (deputy_id));
diesel::joinable!(assignments -> deputies (deputy_id));
diesel::joinable!(assignments -> territories (territory_id));
diesel::joinable!(rating_snapshots -> deputies (deputy_id));
diesel::joinable!(feedback_links -> appeals (appeal_id));
diesel::joinable!(reserve_candidates -> territories (territory_id));
diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        secret -> Text,
        event_types -> Text,
        territory_id -> Nullable<BigInt>,
        territory_path -> Nullable<Text>,
        active -> Bool,
        after_event_id -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> BigInt,
        event_type -> Text,
        entity -> Text,
        entity_id -> BigInt,
        territory_path -> Nullable<Text>,
        payload -> Text,
        occurred_at -> Timestamp,
        fanned_out_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        event_id -> BigInt,
        entity -> Text,
        entity_id -> BigInt,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        lease_owner -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempt -> Integer,
        at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
        succeeded -> Bool,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> outbox_events (event_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));

diesel::allow_tables_to_appear_in_same_query!(
    webhooks,
    outbox_events,
    webhook_deliveries,
    webhook_attempts,
    roadmaps,
    roadmap_sections,
    indicators,
    indicator_progress,
    territories,
    appeal_categories,
    calendar_days,
    deputies,
    users,
    refresh_tokens,
    auth_throttle,
    api_keys,
    audit_log,
    audit_head,
    audit_pending,
    reg_counters,
    appeals,
    appeal_citizens,
    history,
    idempotency_keys,
    receptions,
    reception_settlements,
    reception_participants,
    reception_batches,
    deputy_party_roles,
    assignments,
    rating_snapshots,
    feedback_links,
    reserve_candidates,
    reception_topics,
    reception_proposals,
);
