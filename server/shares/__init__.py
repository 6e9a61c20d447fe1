"""shares area: "Nhờ người thân trả" — a pay request for one bill, shared as a link and a VietQR."""
