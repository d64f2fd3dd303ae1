/** The customers desk's words. Loads with the desk. */
import { registerMessages } from "../../translate";

export const customers = {
  status: {
    active: "active",
    deleted: "deleted",
    restricted: "restricted",
  },
} as const;

registerMessages("en", "customers", customers);
