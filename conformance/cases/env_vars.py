import os
import re
import time


def handler(event, context):
    names = ["AWS_EXECUTION_ENV", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME",
             "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME",
             "AWS_LAMBDA_INITIALIZATION_TYPE", "_HANDLER", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ"]
    trace = os.environ.get("_X_AMZN_TRACE_ID", "")
    return {
        "vars": {name: os.environ.get(name) for name in names},
        "trace_id_form": bool(re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]", trace)),
        "localtime_is_utc": time.localtime().tm_gmtoff == 0,
        "cwd_is_task_root": os.getcwd() == os.environ.get("LAMBDA_TASK_ROOT"),
    }
