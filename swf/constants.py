"""SWF's enumerations and limits, as documented in the SWF API reference."""

from __future__ import annotations

from typing import Final, Literal

#: The registration status of a domain or a type.
RegistrationStatus = Literal["REGISTERED", "DEPRECATED"]
#: The status of a workflow execution.
ExecutionStatus = Literal["OPEN", "CLOSED"]
#: How a closed workflow execution ended.
CloseStatus = Literal[
    "COMPLETED", "FAILED", "CANCELED", "TERMINATED", "CONTINUED_AS_NEW", "TIMED_OUT"
]
#: What happens to an execution's children when it is terminated or times out.
ChildPolicy = Literal["TERMINATE", "REQUEST_CANCEL", "ABANDON"]

# Registration status of domains and types.
REGISTERED: Final = "REGISTERED"
DEPRECATED: Final = "DEPRECATED"
REGISTRATION_STATUSES: Final = (REGISTERED, DEPRECATED)

# Execution status.
OPEN: Final = "OPEN"
CLOSED: Final = "CLOSED"
EXECUTION_STATUSES: Final = (OPEN, CLOSED)

# Close status of a closed execution.
COMPLETED: Final = "COMPLETED"
FAILED: Final = "FAILED"
CANCELED: Final = "CANCELED"
TERMINATED: Final = "TERMINATED"
CONTINUED_AS_NEW: Final = "CONTINUED_AS_NEW"
TIMED_OUT: Final = "TIMED_OUT"
CLOSE_STATUSES: Final = (COMPLETED, FAILED, CANCELED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT)

# Child policies.
TERMINATE: Final = "TERMINATE"
REQUEST_CANCEL: Final = "REQUEST_CANCEL"
ABANDON: Final = "ABANDON"
CHILD_POLICIES: Final = (TERMINATE, REQUEST_CANCEL, ABANDON)

#: The duration value that means "no timeout".
NONE: Final = "NONE"

# Limits (https://docs.aws.amazon.com/amazonswf/latest/developerguide/swf-dg-limits.html).
MAX_NAME_LENGTH: Final = 256  # domain, type, activity id, workflow id, timer id, marker, signal
MAX_VERSION_LENGTH: Final = 64
MAX_DESCRIPTION_LENGTH: Final = 1024
MAX_INPUT_LENGTH: Final = 32_768  # input, result, details, control, marker details
MAX_REASON_LENGTH: Final = 256
MAX_IDENTITY_LENGTH: Final = 256
MAX_TAG_LENGTH: Final = 256
MAX_TAGS: Final = 5
MAX_HEARTBEAT_DETAILS_LENGTH: Final = 2_048
MAX_EXECUTION_CONTEXT_LENGTH: Final = 32_768
MAX_DURATION_LENGTH: Final = 8  # durations are strings of at most 8 characters
MAX_RETENTION_DAYS: Final = 90
MAX_LAMBDA_NAME_LENGTH: Final = 64
MAX_HISTORY_EVENTS: Final = 25_000
MAX_PAGE_SIZE: Final = 1_000
MAX_DECISIONS: Final = 100  # per RespondDecisionTaskCompleted
MAX_REQUEST_SIZE: Final = 1_048_576  # bytes per API request, headers included
MAX_OPEN_ACTIVITIES: Final = 1_000
MAX_OPEN_TIMERS: Final = 1_000
MAX_OPEN_CHILDREN: Final = 1_000
MAX_EXECUTION_DAYS: Final = 365
LONG_POLL_SECONDS: Final = 60
