"""Đóng Phí's thin backend: presents bills and orchestrates payments, never holds money."""
