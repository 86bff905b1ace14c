import { NotFoundState } from "./_components/states";

export default function NotFound() {
  return <NotFoundState what="Page" detail="No block, transaction or address lives at this address. Search for it instead:" />;
}
