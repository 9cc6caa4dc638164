-- What the portal had before Litmos: a Sales group (a Litmos team of that name takes it over),
-- a Facilities group (no team has its name: never touched) and its admin, who never came from Litmos.
INSERT INTO users (integration_id, email, first_name, last_name, active) VALUES ('portal-admin', 'ida.admin@northwind.example', 'Ida', 'Admin', 1);
INSERT INTO groups (name, auto_sync) VALUES ('Sales', 1), ('Facilities', 1);
INSERT INTO group_members (group_name, email) VALUES ('Sales', 'ida.admin@northwind.example'), ('Facilities', 'ida.admin@northwind.example');
