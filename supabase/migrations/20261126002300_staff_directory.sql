-- Every staff member may read the staff directory (names and work emails of colleagues, active or not).
-- The money desk shows who requested, approved and executed each adjustment and refund, and four-eyes
-- approval only means something when the approver can see whose request it is. Who holds which role
-- (staff_roles) stays restricted to the DPO, admins and auditors.
drop policy staff_members_select on public.staff_members;
create policy staff_members_select on public.staff_members for select to authenticated
  using ((select public.current_staff_id()) is not null);
