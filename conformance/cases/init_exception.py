print("loading configuration")


class ConfigurationError(Exception):
    pass


def load_config():
    raise ConfigurationError("TABLE_NAME is not set")


CONFIG = load_config()


def handler(event, context):
    return CONFIG
