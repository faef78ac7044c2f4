//! Table definitions, matching `migrations/` (the same columns on both backends).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_folded -> Text,
        email -> Text,
        email_folded -> Text,
        first_name -> Text,
        last_name -> Text,
        password_hash -> Text,
        is_active -> Bool,
        is_staff -> Bool,
        email_verified -> Bool,
        date_joined -> Timestamp,
        last_login -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    email_keys (key) {
        key -> Text,
        user_id -> BigInt,
        email -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(email_keys -> users (user_id));

diesel::table! {
    data_items (id) {
        id -> BigInt,
        owner_id -> BigInt,
        file_class -> Text,
        upload_kind -> Text,
        original_name -> Text,
        stored_name -> Text,
        storage_key -> Text,
        size -> BigInt,
        content_type -> Text,
        sha256 -> Text,
        source_url -> Nullable<Text>,
        file_count -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(data_items -> users (owner_id));

diesel::allow_tables_to_appear_in_same_query!(
    users, sessions, email_keys, data_items, models, runs, run_points
);

diesel::table! {
    models (id) {
        id -> BigInt,
        owner_id -> BigInt,
        name -> Text,
        data_id -> Nullable<BigInt>,
        data_spec -> Nullable<Text>,
        labels -> Nullable<Text>,
        config -> Nullable<Text>,
        weights_run -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(models -> users (owner_id));

diesel::table! {
    runs (id) {
        id -> BigInt,
        owner_id -> BigInt,
        model_id -> BigInt,
        data_id -> BigInt,
        config -> Text,
        iter -> BigInt,
        warm_from -> Nullable<BigInt>,
        data_spec -> Text,
        status -> Text,
        step -> BigInt,
        error -> Nullable<Text>,
        final_accuracy -> Nullable<Double>,
        final_loss -> Nullable<Double>,
        training_seconds -> Double,
        confusion -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        worker_key -> Nullable<Text>,
        lease_holder -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        requested -> Text,
        resume_on_start -> Bool,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        scope -> Text,
        key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    run_points (run_id, step) {
        run_id -> BigInt,
        step -> BigInt,
        accuracy -> Double,
        loss -> Double,
        duration -> Double,
    }
}

diesel::joinable!(runs -> models (model_id));
diesel::joinable!(run_points -> runs (run_id));
