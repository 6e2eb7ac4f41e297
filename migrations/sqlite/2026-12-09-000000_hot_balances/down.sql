CREATE INDEX users_points_earned ON users (tenant_id, points_earned DESC, id);
