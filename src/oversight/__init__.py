"""Oversight: 养老服务联动监督平台."""
