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

diesel::allow_tables_to_appear_in_same_query!(users, sessions, email_keys, data_items);
