export default function DsarDashboard() {
  return null;
}
