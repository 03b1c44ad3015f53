# An exprun trial in PyTorch: rebuild its MLP (ReLU, no norm), load best.pt strictly, score raw csv rows (no header).
import csv, json, sys, collections, torch
trial, rows_file = sys.argv[1], sys.argv[2]
prep = json.load(open(f"{trial}/run.json"))["preprocessing"]
state = torch.load(f"{trial}/checkpoints/best.pt")
layers, width, n = [], prep["input_shape"][0], 1
while f"linear_{n}.weight" in state:
    layers += [(f"linear_{n}", torch.nn.Linear(width, state[f"linear_{n}.weight"].shape[0])), (f"act_{n}", torch.nn.ReLU())]
    width, n = state[f"linear_{n}.weight"].shape[0], n + 1
model = torch.nn.Sequential(collections.OrderedDict(layers + [("linear_out", torch.nn.Linear(width, prep["outputs"]))]))
model.load_state_dict(state, strict=True); model.eval()
rows = list(csv.reader(open(rows_file)))
x = torch.tensor([[float(r[int(c["source"])]) for c in prep["columns"]] for r in rows])
x = (x - torch.tensor(prep["standardize_mean"])) / torch.tensor(prep["standardize_std"])
labels = torch.tensor([prep["class_names"].index(r[int(prep["table"]["target"])]) for r in rows])
print((model(x).argmax(1) == labels).double().mean().item())
