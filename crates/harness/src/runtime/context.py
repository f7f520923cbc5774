"""The context object, the second argument of every handler, with the
attributes and methods awslambdaric gives it."""

import time

class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return (
            "CognitoIdentity(["
            f"cognito_identity_id={self.cognito_identity_id},"
            f"cognito_identity_pool_id={self.cognito_identity_pool_id}"
            "])"
        )


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name",
                 "app_version_code", "app_package_name"]

    def __repr__(self):
        return (
            "Client(["
            f"installation_id={self.installation_id},"
            f"app_title={self.app_title},"
            f"app_version_name={self.app_version_name},"
            f"app_version_code={self.app_version_code},"
            f"app_package_name={self.app_package_name}"
            "])"
        )


class ClientContext:
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return f"ClientContext([custom={self.custom},env={self.env},client={self.client}])"


def _object_from(cls, fields):
    if fields is None:
        return None
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, fields.get(name))
    return obj


class LambdaContext:
    """The second argument of every handler, with the attributes AWS gives it."""

    def __init__(self, env, request_id, client_context, identity, deadline_ms,
                 invoked_function_arn, tenant_id):
        variables = env.variables
        self.aws_request_id = request_id
        self.log_group_name = variables.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = variables.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = variables.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = variables.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = variables.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self._w3c = {}
        if isinstance(client_context, dict) and "w3c" in client_context:
            raw = client_context.pop("w3c")
            if isinstance(raw, dict):
                self._w3c = {k: raw[k] for k in ("traceparent", "tracestate", "baggage")
                             if isinstance(raw.get(k), str)}
        self.client_context = _object_from(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _object_from(Client, self.client_context.client)
        self.identity = _object_from(CognitoIdentity, {})
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms
        self._env = env

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def w3c(self):
        return dict(self._w3c)

    def log(self, msg):
        self._env.log_chunks.append(str(msg))

    def __repr__(self):
        return (
            "LambdaContext(["
            f"aws_request_id={self.aws_request_id},"
            f"log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},"
            f"function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},"
            f"function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},"
            f"client_context={self.client_context},"
            f"identity={self.identity},"
            f"tenant_id={self.tenant_id}"
            "])"
        )


