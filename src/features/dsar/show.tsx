export default function DsarShow() {
  return null;
}
