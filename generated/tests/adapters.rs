//! The generated adapters on real values: every dialect's types converted to the canonical
//! ones and back, and every dialect's error bodies read as canonical problems.

use profile_api::adapters;
use profile_api::support::AdapterError;
use profile_api::{billing, canonical, cl2c, community, manage, rpc};
use serde_json::json;

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// A canonical profile with every field rpc's `ProfileData` requires.
fn rpc_profile() -> canonical::types::Profile {
    canonical::types::Profile {
        username: text("ada"),
        first_name: text("Ada"),
        last_name: text("Lovelace"),
        email: text("ada@example.com"),
        phone_number: text("+441234567890"),
        phone_code: text("+44"),
        country_code: text("GB"),
        image_url: text("https://example.com/ada.png"),
        language: text("en"),
        currency: text("GBP"),
        timezone: text("Europe/London"),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// rpc: nested pointers (UserProfile/0/..., UserLocInfo/...)
// ---------------------------------------------------------------------------------------------

#[test]
fn rpc_profile_data_round_trips_through_its_nested_fields() {
    let profile = rpc_profile();
    let data = rpc::types::ProfileData::try_from(&profile).expect("every required field is set");
    assert_eq!(
        data.user_profile.len(),
        1,
        "UserProfile holds exactly one item"
    );
    assert_eq!(data.user_profile[0].first_name, "Ada");
    assert_eq!(data.user_profile[0].phone_code, "+44");
    assert_eq!(data.user_loc_info.lan, "en");
    assert_eq!(data.user_loc_info.tz, "Europe/London");
    assert_eq!(data.profile_image, "https://example.com/ada.png");

    let back = canonical::types::Profile::from(&data);
    assert_eq!(back, profile, "every field rpc holds comes back unchanged");
}

#[test]
fn rpc_profile_data_without_items_gives_an_empty_profile_part() {
    let data = rpc::types::ProfileData {
        user_profile: Vec::new(),
        profile_image: "https://example.com/p.png".into(),
        user_loc_info: rpc::types::UserLocInfo {
            lan: "en".into(),
            tz: "UTC".into(),
            currency: "EUR".into(),
        },
    };
    let profile = canonical::types::Profile::from(&data);
    assert_eq!(profile.first_name, None);
    assert_eq!(profile.username, None);
    assert_eq!(profile.currency.as_deref(), Some("EUR"));
}

#[test]
fn rpc_profile_data_needs_every_field_it_requires() {
    let mut profile = rpc_profile();
    profile.language = None;
    assert_eq!(
        rpc::types::ProfileData::try_from(&profile),
        Err(AdapterError::Missing { field: "language" })
    );
    let mut profile = rpc_profile();
    profile.first_name = None;
    assert_eq!(
        rpc::types::ProfileData::try_from(&profile),
        Err(AdapterError::Missing {
            field: "first_name"
        })
    );
}

#[test]
fn rpc_update_takes_renamed_fields_and_requires_email() {
    let patch = canonical::types::ProfilePatch {
        first_name: text("Ada"),
        language: text("fr"),
        email: text("ada@example.com"),
        ..Default::default()
    };
    let update = rpc::types::ProfileUpdate::try_from(&patch).expect("email is set");
    assert_eq!(update.first_name.as_deref(), Some("Ada"));
    assert_eq!(update.languages.as_deref(), Some("fr"));
    assert_eq!(update.email, "ada@example.com");
    assert_eq!(canonical::types::ProfilePatch::from(&update), patch);

    let without_email = canonical::types::ProfilePatch {
        first_name: text("Ada"),
        ..Default::default()
    };
    assert_eq!(
        rpc::types::ProfileUpdate::try_from(&without_email),
        Err(AdapterError::Missing { field: "email" })
    );
}

#[test]
fn rpc_email_change_maps_token_fields() {
    let change = canonical::types::EmailChange {
        email: "new@example.com".into(),
        token: "tok".into(),
        token_checksum: "sum".into(),
    };
    let update = rpc::types::ProfileUpdate::try_from(&change).expect("all set");
    assert_eq!(update.token_field.as_deref(), Some("tok"));
    assert_eq!(update.token_checksum_field.as_deref(), Some("sum"));
    assert_eq!(canonical::types::EmailChange::try_from(&update), Ok(change));
}

#[test]
fn rpc_local_info_converts_item_by_item() {
    let item = |key: &str| rpc::types::LocalInfoItem {
        key: key.into(),
        name: key.to_uppercase(),
    };
    let info = rpc::types::LocalInfo {
        languages: vec![item("en"), item("fr")],
        currencies: vec![item("eur")],
        timezones: Vec::new(),
    };
    let canonical = canonical::types::LocalInfo::from(&info);
    assert_eq!(canonical.languages.len(), 2);
    assert_eq!(canonical.languages[1].key, "fr");
    assert_eq!(canonical.currencies[0].name, "EUR");
    assert_eq!(rpc::types::LocalInfo::try_from(&canonical), Ok(info));
}

// ---------------------------------------------------------------------------------------------
// community: integer id ↔ string id, tags item by item
// ---------------------------------------------------------------------------------------------

#[test]
fn community_integer_id_is_a_canonical_string_id() {
    let user = community::types::User {
        id: Some(42),
        username: text("ada"),
        real_name: text("Ada Lovelace"),
        followers_counter: Some(7),
        tags: Some(vec![
            community::types::Tag {
                id: Some(1),
                name: text("math"),
            },
            community::types::Tag {
                id: Some(2),
                name: text("poetry"),
            },
        ]),
        ..Default::default()
    };
    let profile = canonical::types::Profile::from(&user);
    assert_eq!(profile.id.as_deref(), Some("42"));
    assert_eq!(profile.full_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(profile.followers_count, Some(7));
    let tags = profile.tags.as_deref().unwrap_or_default();
    assert_eq!(tags.len(), 2, "every tag, not only the first");
    assert_eq!(tags[1].name.as_deref(), Some("poetry"));

    let back = community::types::User::try_from(&profile).expect("the id is an integer");
    assert_eq!(back, user);
}

#[test]
fn community_rejects_a_canonical_id_that_is_not_an_integer() {
    let profile = canonical::types::Profile {
        id: text("abc"),
        ..Default::default()
    };
    match community::types::User::try_from(&profile) {
        Err(AdapterError::Invalid { field, value, .. }) => {
            assert_eq!(field, "id");
            assert_eq!(value, "abc");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn community_multipart_update_carries_the_image_file() {
    let upload = canonical::types::ProfileImageUpload {
        image: profile_api::support::Upload {
            filename: text("a.png"),
            content_type: text("image/png"),
            bytes: vec![1, 2, 3],
        },
        cropped_image: Default::default(),
    };
    let multipart = community::types::UserUpdateMultipart::try_from(&upload).expect("image is set");
    assert_eq!(
        multipart.avatar.as_ref().map(|a| a.bytes.clone()),
        Some(vec![1, 2, 3])
    );
    assert_eq!(multipart.username, None);
    // community keeps no cropped image: the canonical upload cannot be rebuilt from it.
    assert_eq!(
        canonical::types::ProfileImageUpload::try_from(&multipart),
        Err(AdapterError::Missing {
            field: "cropped_image"
        })
    );
}

#[test]
fn community_user_gives_the_uploaded_image_url() {
    let user = community::types::User {
        avatar: text("https://example.com/a.png"),
        ..Default::default()
    };
    assert_eq!(
        canonical::types::ProfileImage::try_from(&user).map(|image| image.image_url),
        Ok("https://example.com/a.png".to_owned())
    );
    assert_eq!(
        canonical::types::ProfileImage::try_from(&community::types::User::default()),
        Err(AdapterError::Missing { field: "image_url" })
    );
}

// ---------------------------------------------------------------------------------------------
// billing: date-time birthdate ↔ canonical date
// ---------------------------------------------------------------------------------------------

fn billing_user() -> billing::types::User {
    billing::types::User {
        first_name: text("Ada"),
        last_name: None,
        email: "ada@example.com".into(),
        id: "7f1c0e0a-4a43-4f43-9d2c-1b7d2f6b9e10".into(),
        is_active: true,
        is_superuser: false,
        birthdate: text("1815-12-10T00:00:00Z"),
        is_enterprise: false,
        role_id: None,
        phone: text("+441234567890"),
        state: None,
        country: text("UK"),
        address: None,
        active_billing_plan_id: None,
        next_billing_plan_id: None,
        stripe_customer_id: None,
        stripe_subscription_id: None,
        stripe_subscription_status: None,
        stripe_has_payment_method: false,
        is_trial: true,
        used_trial: false,
        is_paying: false,
        stripe_last_payment_date: None,
        billing_updated_at: text("2024-01-02T03:04:05Z"),
        last_credits_refresh: None,
        next_credits_refresh: None,
        follower_count: 3,
        following_count: 4,
    }
}

#[test]
fn billing_birthdate_date_time_is_a_canonical_date() {
    let user = billing_user();
    let profile = canonical::types::Profile::try_from(&user).expect("a valid date-time");
    assert_eq!(profile.date_of_birth.as_deref(), Some("1815-12-10"));
    assert_eq!(profile.id.as_deref(), Some(user.id.as_str()));
    assert_eq!(profile.phone_number.as_deref(), Some("+441234567890"));
    assert_eq!(profile.is_trial, Some(true));
    assert_eq!(profile.following_count, Some(4));
    assert_eq!(
        profile.billing_updated_at.as_deref(),
        Some("2024-01-02T03:04:05Z"),
        "date-time to date-time is copied as is"
    );

    let back = billing::types::User::try_from(&profile).expect("every required field is set");
    assert_eq!(back, user, "midnight UTC comes back as the same date-time");
}

#[test]
fn billing_writes_a_canonical_date_as_midnight_utc() {
    let patch = canonical::types::ProfilePatch {
        date_of_birth: text("1990-05-17"),
        country: text("FR"),
        ..Default::default()
    };
    let update = billing::types::UserUpdate::try_from(&patch).expect("nothing is required");
    assert_eq!(update.birthdate.as_deref(), Some("1990-05-17T00:00:00Z"));
    assert_eq!(update.country.as_deref(), Some("FR"));
    assert_eq!(update.first_name, None);
    assert_eq!(canonical::types::ProfilePatch::try_from(&update), Ok(patch));
}

#[test]
fn billing_rejects_a_birthdate_that_is_no_date_time() {
    let mut user = billing_user();
    user.birthdate = text("yesterday");
    match canonical::types::Profile::try_from(&user) {
        Err(AdapterError::Invalid { field, value, .. }) => {
            assert_eq!(field, "date_of_birth");
            assert_eq!(value, "yesterday");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn billing_user_needs_the_flags_it_requires() {
    let profile = canonical::types::Profile {
        id: text("u1"),
        email: text("a@example.com"),
        ..Default::default()
    };
    assert_eq!(
        billing::types::User::try_from(&profile),
        Err(AdapterError::Missing { field: "is_active" })
    );
}

// ---------------------------------------------------------------------------------------------
// manage and cl2c: renamed ids and fields, dialect-only required fields
// ---------------------------------------------------------------------------------------------

#[test]
fn manage_profile_round_trips_with_user_id_as_id() {
    let profile = manage::types::Profile {
        user_id: "u-1".into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        phone_number: "+441234567890".into(),
        profile_picture: "https://example.com/a.png".into(),
    };
    let canonical = canonical::types::Profile::from(&profile);
    assert_eq!(canonical.id.as_deref(), Some("u-1"));
    assert_eq!(
        canonical.image_url.as_deref(),
        Some("https://example.com/a.png")
    );
    assert_eq!(manage::types::Profile::try_from(&canonical), Ok(profile));

    let deleted = manage::types::DeletedUser {
        user_id: "u-1".into(),
    };
    assert_eq!(
        canonical::types::Profile::from(&deleted).id.as_deref(),
        Some("u-1")
    );
}

#[test]
fn manage_update_from_a_canonical_body_needs_the_id_parameter() {
    // user_id comes from the operation's id parameter, not from the body: the plain type
    // conversion cannot fill it.
    let replace: canonical::types::ProfileReplace =
        serde_json::from_value(json!({"first_name": "Ada", "email": "ada@example.com"}))
            .expect("a valid ProfileReplace");
    assert_eq!(
        manage::types::ProfileUpdate::try_from(&replace),
        Err(AdapterError::Missing {
            field: "ProfileUpdate#/user_id"
        })
    );
    let update = manage::types::ProfileUpdate {
        user_id: "u-1".into(),
        profile_picture: None,
        first_name: text("Ada"),
        last_name: None,
        email: text("ada@example.com"),
        phone_number: None,
    };
    let back = canonical::types::ProfileReplace::try_from(&update).expect("both required set");
    assert_eq!(back, replace);
}

#[test]
fn cl2c_update_uses_camel_case_fields_and_requires_first_name() {
    let patch = canonical::types::ProfilePatch {
        first_name: text("Ada"),
        last_name: text("Lovelace"),
        phone_number: text("+441234567890"),
        push_token: text("push"),
        ..Default::default()
    };
    let update = cl2c::types::ProfileUpdate::try_from(&patch).expect("first_name is set");
    assert_eq!(update.first_name, "Ada");
    assert_eq!(update.push_token.as_deref(), Some("push"));
    assert_eq!(update.id, None, "the id is the operation's parameter");
    assert_eq!(
        serde_json::to_value(&update).expect("serializes")["firstName"],
        json!("Ada")
    );
    assert_eq!(canonical::types::ProfilePatch::from(&update), patch);

    assert_eq!(
        cl2c::types::ProfileUpdate::try_from(&canonical::types::ProfilePatch::default()),
        Err(AdapterError::Missing {
            field: "first_name"
        })
    );
}

#[test]
fn cl2c_profile_reads_into_canonical_but_session_fields_have_no_source() {
    let profile = cl2c::types::Profile {
        id: "c-9".into(),
        user_name: "ada".into(),
        first_name: "Ada".into(),
        last_name: None,
        email: "ada@example.com".into(),
        email_confirmed: true,
        authenticated: true,
        auth_valid_upto: None,
        auth_location: None,
        phone_number: None,
        wallet_address: text("0xabc"),
    };
    let canonical = canonical::types::Profile::from(&profile);
    assert_eq!(canonical.id.as_deref(), Some("c-9"));
    assert_eq!(canonical.username.as_deref(), Some("ada"));
    assert_eq!(canonical.email_verified, Some(true));
    assert_eq!(canonical.wallet_address.as_deref(), Some("0xabc"));
    // `authenticated` is dialect-only (a property of the session): a cl2c Profile cannot be
    // built from the canonical one.
    assert_eq!(
        cl2c::types::Profile::try_from(&canonical),
        Err(AdapterError::Missing {
            field: "Profile#/authenticated"
        })
    );
}

// ---------------------------------------------------------------------------------------------
// Error bodies through each dialect's x-error-envelope
// ---------------------------------------------------------------------------------------------

#[test]
fn manage_errors_become_canonical_problems() {
    let body = json!({"status": "error", "message": "Invalid input.", "errors": {"user_id": ["This field is required."]}});
    let problem = adapters::manage::problem(400, &body, &[("user_id", "id")]);
    assert_eq!(problem.status, 400);
    assert_eq!(problem.r#type, "about:blank");
    assert_eq!(problem.title.as_deref(), Some("Validation failed"));
    assert_eq!(problem.detail, "Invalid input.");
    let errors = problem.errors.unwrap_or_default();
    assert_eq!(errors["id"], vec!["This field is required.".to_owned()]);

    let problem = adapters::manage::problem(
        404,
        &json!({"status": "error", "message": "User not found."}),
        &[],
    );
    assert_eq!(problem.status, 404);
    assert_eq!(problem.title.as_deref(), Some("Request failed"));
    assert_eq!(problem.detail, "User not found.");
    assert_eq!(problem.errors, None);
}

#[test]
fn rpc_errors_become_canonical_problems() {
    let body = json!({"status_code": 400, "errors": {"languages": ["Select a valid choice."]}, "data": {}});
    let problem = adapters::rpc::problem(400, &body, &[("languages", "language")]);
    assert_eq!(problem.status, 400);
    assert_eq!(problem.detail, "Validation failed.");
    assert_eq!(
        problem.errors.unwrap_or_default()["language"],
        vec!["Select a valid choice.".to_owned()]
    );

    let body = json!({"status_code": 401, "errors": {"detail": ["Invalid token."]}, "data": {}});
    let problem = adapters::rpc::problem(401, &body, &[]);
    assert_eq!(problem.status, 401);
    assert_eq!(problem.detail, "Invalid token.");
    assert_eq!(problem.errors, None);
}

#[test]
fn community_errors_become_canonical_problems() {
    let body = json!({"real_name": ["Ensure this field has no more than 255 characters."], "non_field_errors": ["Bad."]});
    let problem = adapters::community::problem(400, &body, &[("real_name", "full_name")]);
    assert_eq!(problem.status, 400);
    let errors = problem.errors.unwrap_or_default();
    assert_eq!(errors.len(), 2);
    assert!(errors.contains_key("full_name"));
    assert_eq!(errors["non_field_errors"], vec!["Bad.".to_owned()]);

    // A 400 that is not a validation error (the `other` shape).
    let problem = adapters::community::problem(400, &json!({"detail": "JSON parse error"}), &[]);
    assert_eq!(problem.status, 400);
    assert_eq!(problem.detail, "JSON parse error");
    assert_eq!(problem.errors, None);

    let problem = adapters::community::problem(403, &json!({"detail": "Not yours."}), &[]);
    assert_eq!(
        (problem.status, problem.detail.as_str()),
        (403, "Not yours.")
    );
}

#[test]
fn a_taken_community_username_is_the_canonical_conflict() {
    let taken = "A user with that username already exists.";
    let problem = adapters::community::problem(400, &json!({"username": [taken]}), &[]);
    assert_eq!(
        (problem.status, problem.detail.as_str(), &problem.errors),
        (409, taken, &None)
    );
    let update = adapters::update_profile_error(problem).expect("409 is documented");
    assert_eq!(update.status(), 409);

    // Anything else wrong too: still a validation error, naming every field.
    let body = json!({"username": [taken], "website": ["Enter a valid URL."]});
    let problem = adapters::community::problem(400, &body, &[]);
    assert_eq!(problem.status, 400);
    let errors = problem.errors.unwrap_or_default();
    assert_eq!(Vec::from_iter(errors.keys()), ["username", "website"]);
    // Another message on the unique field is an ordinary validation error.
    let body = json!({"username": ["This field may not be blank."]});
    assert_eq!(adapters::community::problem(400, &body, &[]).status, 400);
}

#[test]
fn billing_422_each_error_becomes_a_canonical_400() {
    let body = json!({"detail": [
        {"loc": ["body", "birthdate"], "msg": "Input should be a valid datetime", "type": "format"},
        {"loc": ["body", "birthdate"], "msg": "Second message", "type": "format"},
        {"loc": ["path", "user_id"], "msg": "Input should be a valid UUID", "type": "format"},
        {"loc": ["body"], "msg": "JSON decode error", "type": "type"}
    ]});
    let fields = [("birthdate", "date_of_birth"), ("user_id", "id")];
    let problem = adapters::billing::problem(422, &body, &fields);
    assert_eq!(problem.status, 400, "the canonical validation status");
    let errors = problem.errors.unwrap_or_default();
    assert_eq!(
        errors["date_of_birth"],
        vec![
            "Input should be a valid datetime".to_owned(),
            "Second message".to_owned()
        ]
    );
    assert_eq!(
        errors["id"],
        vec!["Input should be a valid UUID".to_owned()]
    );
    assert_eq!(
        errors[adapters::BODY_FIELD],
        vec!["JSON decode error".to_owned()]
    );

    let problem = adapters::billing::problem(404, &json!({"detail": "User not found"}), &fields);
    assert_eq!(
        (problem.status, problem.detail.as_str()),
        (404, "User not found")
    );
}

#[test]
fn cl2c_errors_keep_their_error_id_as_instance() {
    let body = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "detail": "The request parameters are incorrect.",
        "instance": "err-1",
        "errors": {"firstName": ["The FirstName field is required."], "$": ["Bad JSON."]}
    });
    let problem = adapters::cl2c::problem(400, &body, &[("firstName", "first_name")]);
    assert_eq!(problem.status, 400);
    assert_eq!(problem.detail, "The request parameters are incorrect.");
    assert_eq!(problem.instance.as_deref(), Some("err-1"));
    let errors = problem.errors.unwrap_or_default();
    assert!(errors.contains_key("first_name"));
    assert_eq!(errors[adapters::BODY_FIELD], vec!["Bad JSON.".to_owned()]);

    let body = json!({
        "messages": ["Invalid API key."], "source": "API Gateway", "exception": "CL2C.ApiException",
        "errorId": "err-2", "supportMessage": "Please contact support with this error ID.", "statusCode": 401
    });
    let problem = adapters::cl2c::problem(401, &body, &[]);
    assert_eq!(problem.status, 401);
    assert_eq!(problem.detail, "Invalid API key.");
    assert_eq!(problem.instance.as_deref(), Some("err-2"));
}

#[test]
fn unknown_error_bodies_keep_their_status() {
    let problem = adapters::manage::problem(502, &json!("Bad gateway"), &[]);
    assert_eq!(
        (problem.status, problem.detail.as_str()),
        (502, "Bad gateway")
    );
    let problem = adapters::rpc::problem(500, &serde_json::Value::Null, &[]);
    assert_eq!(problem.status, 500);
    assert!(!problem.detail.is_empty());
}

#[test]
fn adapter_errors_become_canonical_problems() {
    let unsupported = AdapterError::Unsupported {
        operation: "deleteProfile",
        reason: "rpc has no delete operation.",
    };
    let problem = adapters::error_problem(&unsupported);
    assert_eq!(problem.status, 501);
    assert!(problem.detail.contains("rpc has no delete operation."));

    let problem = adapters::error_problem(&AdapterError::Missing { field: "email" });
    assert_eq!(problem.status, 400);
    assert!(problem.errors.unwrap_or_default().contains_key("email"));
}

#[test]
fn date_helpers() {
    assert_eq!(adapters::date_time("2020-02-29"), "2020-02-29T00:00:00Z");
    assert_eq!(
        adapters::date_part("birthdate", "2020-02-29T23:59:59+02:00"),
        Ok("2020-02-29".to_owned())
    );
    assert_eq!(
        adapters::date_part("birthdate", "2020-02-29"),
        Ok("2020-02-29".to_owned())
    );
    assert!(adapters::date_part("birthdate", "2020-2-29T00:00:00Z").is_err());
    assert!(adapters::date_part("birthdate", "2020-02-29X").is_err());
    assert!(adapters::date_part("birthdate", "").is_err());
}
