//! The planted bugs: each variant of the zoo's server has exactly one.

/// One planted bug. `Bug::None` is the correct server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bug {
    /// The correct server: answers exactly as `zoo/openapi.yaml` documents.
    None,
    /// createPet and replacePet answer 500 for a valid name longer than 40 characters (maxLength
    /// is 50).
    /// Check: CF500 no-server-error (CF101 max-length sends exactly 50).
    ServerErrorLongName,
    /// getPet answers 500 for an id no pet has (documented: 404).
    /// Check: CF301 target-exists / CF500 no-server-error.
    UnknownId500,
    /// getPet answers `createdAt` as a number (epoch seconds); the schema says a date-time string.
    /// Check: CF401 response-schema.
    ResponseSchemaViolation,
    /// listPets answers 204 without a body when the page is empty (only 200 and 400 are documented).
    /// Check: undocumented-status (Schemathesis status_code_conformance).
    UndocumentedStatus,
    /// getPet answers its JSON as `text/plain`.
    /// Check: CF402 content-type.
    WrongContentType,
    /// deletePet does not check the bearer token (documented: 401 without it).
    /// Check: CF200 credential-missing.
    AuthNotEnforced,
    /// listPets does not validate the items of the `tags` array (pattern, length).
    /// Check: CF110 pattern (of a query array's items).
    QueryArrayNotValidated,
    /// listPets accepts any `status`, not only the enum's values (and then matches nothing).
    /// Check: CF112 enum (query).
    QueryEnumNotValidated,
    /// listPets accepts `limit` outside 1..100 (0 gives an empty page, 101 a longer one).
    /// Check: CF103 range (query).
    QueryBoundsNotValidated,
    /// createPetEvent accepts a body matching neither oneOf schema (a known kind with missing or
    /// invalid fields).
    /// Check: oneOf negative data (CF120 required / CF114 wrong-type on a oneOf body).
    OneOfNotValidated,
    /// updatePet stores `nickname: null` as documented, but the next getPet answers 500.
    /// Check: CF308 lifecycle (null sent where nullable) / CF500.
    NullThenRead500,
    /// deletePet answers 204 but the pet is still readable (getPet 200).
    /// Check: CF306 destructive (stateful: use after delete).
    UseAfterDelete,
    /// createPet answers an id (and Location) that getPet does not find: 404.
    /// Check: CF308 lifecycle.
    CreatedIdUnreadable,
    /// listPets does not bound `offset` and adds it to `limit` in 32 bits: an offset over the
    /// maximum is accepted, and one near 2^31 answers 500.
    /// Check: CF103 range (query) / CF500 no-server-error.
    PaginationOverflow,
    /// getPet and listPets ignore the `X-Request-Id` pattern.
    /// Check: CF110 pattern (header).
    HeaderPatternIgnored,
    /// updatePet answers 200 but does not store `age`.
    /// Check: CF304 read-after-write.
    PatchIgnoresField,
    /// replacePet stores the owner without its nested `address`.
    /// Check: CF304 read-after-write (nested object).
    PutDropsNestedObject,
    /// listPets ignores `offset`: every page starts at the first pet.
    /// Check: CF309 pagination (pages overlap).
    ListIgnoresOffset,
    /// createPet and replacePet accept a body without the required `status` (and store
    /// "available").
    /// Check: CF120 required.
    RequiredNotEnforced,
    /// createPet and replacePet accept a `name` over maxLength (50).
    /// Check: CF101 max-length.
    MaxLengthNotEnforced,
    /// Every operation with a body accepts JSON sent as `text/plain` (documented: 415).
    /// Check: CF503 unsupported-media-type.
    UnsupportedMediaTypeAccepted,
    /// Every operation with a body answers 500 for a body that is not JSON (documented: 400).
    /// Check: CF501 malformed-json / CF500 no-server-error.
    MalformedJson500,
    /// createPet and replacePet accept `age` as a numeric string ("5") and store the number.
    /// Check: CF114 wrong-type.
    WrongTypeAccepted,
    /// createPet takes the `id` a client sends (readOnly) instead of making one.
    /// Check: CF303 read-only-ignored.
    ReadOnlyIdAccepted,
    /// createPet answers 201 without the required `Location` header.
    /// Check: response-headers (documented response headers; Schemathesis
    /// response_headers_conformance).
    LocationHeaderMissing,
    /// updatePet refuses `nickname: null` (400) although the field is nullable.
    /// Check: CF100 positive-data (null sent where allowed).
    NullableRejected,
    /// Every 404 answers `{"error": "..."}` instead of the Error schema.
    /// Check: CF400 error-envelope (error body against its documented schema).
    ErrorBodyWrongShape,
}

impl Bug {
    /// Every planted bug (not `None`), in the order of the README's table.
    pub const ALL: &[Bug] = &[
        Bug::ServerErrorLongName,
        Bug::UnknownId500,
        Bug::ResponseSchemaViolation,
        Bug::UndocumentedStatus,
        Bug::WrongContentType,
        Bug::AuthNotEnforced,
        Bug::QueryArrayNotValidated,
        Bug::QueryEnumNotValidated,
        Bug::QueryBoundsNotValidated,
        Bug::OneOfNotValidated,
        Bug::NullThenRead500,
        Bug::UseAfterDelete,
        Bug::CreatedIdUnreadable,
        Bug::PaginationOverflow,
        Bug::HeaderPatternIgnored,
        Bug::PatchIgnoresField,
        Bug::PutDropsNestedObject,
        Bug::ListIgnoresOffset,
        Bug::RequiredNotEnforced,
        Bug::MaxLengthNotEnforced,
        Bug::UnsupportedMediaTypeAccepted,
        Bug::MalformedJson500,
        Bug::WrongTypeAccepted,
        Bug::ReadOnlyIdAccepted,
        Bug::LocationHeaderMissing,
        Bug::NullableRejected,
        Bug::ErrorBodyWrongShape,
    ];

    /// The name `--bug` takes.
    pub fn name(self) -> &'static str {
        self.info().0
    }

    /// The operation the bug is on.
    pub fn operation(self) -> &'static str {
        self.info().1
    }

    /// The check that should catch it (a harness check id where one fits).
    pub fn check(self) -> &'static str {
        self.info().2
    }

    /// What is broken.
    pub fn what(self) -> &'static str {
        self.info().3
    }

    /// The variant named `name` (`none` is the correct server).
    pub fn from_name(name: &str) -> Option<Bug> {
        std::iter::once(Bug::None)
            .chain(Bug::ALL.iter().copied())
            .find(|bug| bug.name() == name)
    }

    fn info(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Bug::None => ("none", "-", "-", "the correct server"),
            Bug::ServerErrorLongName => (
                "server-error-long-name",
                "createPet, replacePet",
                "CF500 no-server-error",
                "500 for a valid name of 41-50 characters",
            ),
            Bug::UnknownId500 => (
                "unknown-id-500",
                "getPet",
                "CF301 target-exists",
                "500 for an unknown id (documented: 404)",
            ),
            Bug::ResponseSchemaViolation => (
                "response-schema-violation",
                "getPet",
                "CF401 response-schema",
                "createdAt answered as a number",
            ),
            Bug::UndocumentedStatus => (
                "undocumented-status",
                "listPets",
                "CF403 status-documented",
                "204 for an empty page (undocumented)",
            ),
            Bug::WrongContentType => (
                "wrong-content-type",
                "getPet",
                "CF402 content-type",
                "text/plain instead of application/json",
            ),
            Bug::AuthNotEnforced => (
                "auth-not-enforced",
                "deletePet",
                "CF200 credential-missing",
                "delete without a bearer token succeeds",
            ),
            Bug::QueryArrayNotValidated => (
                "query-array-not-validated",
                "listPets",
                "CF110 pattern",
                "tags items not validated",
            ),
            Bug::QueryEnumNotValidated => (
                "query-enum-not-validated",
                "listPets",
                "CF112 enum",
                "status outside the enum accepted",
            ),
            Bug::QueryBoundsNotValidated => (
                "query-bounds-not-validated",
                "listPets",
                "CF103 range",
                "limit outside 1..100 accepted",
            ),
            Bug::OneOfNotValidated => (
                "oneof-not-validated",
                "createPetEvent",
                "CF120 required",
                "a body matching neither oneOf schema accepted",
            ),
            Bug::NullThenRead500 => (
                "null-then-read-500",
                "updatePet, getPet",
                "CF308 lifecycle",
                "nickname: null stored, the next read answers 500",
            ),
            Bug::UseAfterDelete => (
                "use-after-delete",
                "deletePet, getPet",
                "CF308 lifecycle",
                "a deleted pet is still readable",
            ),
            Bug::CreatedIdUnreadable => (
                "created-id-unreadable",
                "createPet, getPet",
                "CF308 lifecycle",
                "the id a create answers reads back 404",
            ),
            Bug::PaginationOverflow => (
                "pagination-overflow",
                "listPets",
                "CF103 range",
                "offset unbounded; offset + limit overflows 32 bits: 500",
            ),
            Bug::HeaderPatternIgnored => (
                "header-pattern-ignored",
                "getPet, listPets",
                "CF110 pattern",
                "X-Request-Id pattern not validated",
            ),
            Bug::PatchIgnoresField => (
                "patch-ignores-field",
                "updatePet",
                "CF304 read-after-write",
                "age in a PATCH not stored",
            ),
            Bug::PutDropsNestedObject => (
                "put-drops-nested-object",
                "replacePet",
                "CF304 read-after-write",
                "owner.address dropped by a PUT",
            ),
            Bug::ListIgnoresOffset => (
                "list-ignores-offset",
                "listPets",
                "CF309 pagination",
                "offset ignored: pages overlap",
            ),
            Bug::RequiredNotEnforced => (
                "required-not-enforced",
                "createPet, replacePet",
                "CF120 required",
                "a create without status accepted",
            ),
            Bug::MaxLengthNotEnforced => (
                "max-length-not-enforced",
                "createPet, replacePet",
                "CF101 max-length",
                "name over 50 characters accepted",
            ),
            Bug::UnsupportedMediaTypeAccepted => (
                "unsupported-media-type-accepted",
                "createPet, replacePet, updatePet, createPetEvent",
                "CF503 unsupported-media-type",
                "a text/plain body accepted (documented: 415)",
            ),
            Bug::MalformedJson500 => (
                "malformed-json-500",
                "createPet, replacePet, updatePet, createPetEvent",
                "CF501 malformed-json",
                "500 for a body that is not JSON",
            ),
            Bug::WrongTypeAccepted => (
                "wrong-type-accepted",
                "createPet, replacePet",
                "CF114 wrong-type",
                "age as a numeric string accepted",
            ),
            Bug::ReadOnlyIdAccepted => (
                "read-only-id-accepted",
                "createPet",
                "CF303 read-only-ignored",
                "the client's readOnly id is stored",
            ),
            Bug::LocationHeaderMissing => (
                "location-header-missing",
                "createPet",
                "CF404 response-headers",
                "201 without the required Location header",
            ),
            Bug::NullableRejected => (
                "nullable-rejected",
                "updatePet",
                "CF100 positive-data",
                "nickname: null refused although nullable",
            ),
            Bug::ErrorBodyWrongShape => (
                "error-body-wrong-shape",
                "getPet, updatePet, replacePet, deletePet, createPetEvent",
                "CF400 error-envelope",
                "404 body is {\"error\": …}, not the Error schema",
            ),
        }
    }
}

impl std::fmt::Display for Bug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
