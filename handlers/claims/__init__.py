"""Expenses and payment for time: the claim flow, advances, officers’ approvals, exports."""
