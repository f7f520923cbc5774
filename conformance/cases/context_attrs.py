def handler(event, context):
    remaining = context.get_remaining_time_in_millis()
    return {
        "aws_request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "memory_limit_type": type(context.memory_limit_in_mb).__name__,
        "invoked_function_arn": context.invoked_function_arn,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "identity_type": type(context.identity).__name__,
        "identity_repr": repr(context.identity),
        "cognito_identity_id": context.identity.cognito_identity_id,
        "cognito_identity_pool_id": context.identity.cognito_identity_pool_id,
        "identity_slots": list(type(context.identity).__slots__),
        "client_context": context.client_context,
        "tenant_id": context.tenant_id,
        "remaining_type": type(remaining).__name__,
        "remaining_plausible": 0 < remaining <= 3000,
        "context_type": type(context).__name__,
        "public_attributes": sorted(a for a in dir(context) if not a.startswith("_")),
        "repr": repr(context),
    }
